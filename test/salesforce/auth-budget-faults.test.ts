/** Sign-in (JWT bearer, client credentials), token refresh on 401, the API budget, and injected faults. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createSalesforceAdapter } from '../../connectors/salesforce/index.js';
import { createLogger } from '../../core/logger.js';
import { AuthError, BudgetPausedError } from '../../core/errors.js';
import type { CrmChangePage } from '../../core/engine/crm-port.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

async function drain(pages: AsyncIterable<CrmChangePage>): Promise<number> {
  let n = 0;
  for await (const p of pages) n += p.deals.length;
  return n;
}

describe('Salesforce adapter: auth, budget and faults', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  it('signs in with client credentials', async () => {
    h = await startSalesforceHarness({ auth: 'client_credentials' });
    seedOptedIn(h.sandbox, 3);
    const fresh = h.makeAdapter();
    assert.equal(await drain(fresh.readChanges(undefined)), 3);
    assert.equal(h.sandbox.counters.get('token'), 1, 'one sign-in, reused for every call');
  });

  it('gets a new token when the session expires (401 INVALID_SESSION_ID) and replays the call', async () => {
    h = await startSalesforceHarness({ sandbox: { tokenTtlMs: 60_000 } });
    const ids = seedOptedIn(h.sandbox, 3);
    assert.equal((await h.adapter.getDeals(ids)).length, 3);
    h.sandbox.clock.advance(61_000);
    assert.equal((await h.adapter.getDeals(ids)).length, 3);
    assert.equal(h.sandbox.counters.get('token'), 1, 'one refresh after the initial sign-in (which came before the counter reset)');
    const results = await h.adapter.write(ids.map((id) => ({ kind: 'status', key: id, crmId: id, status: { state: 'synced', message: '' } })));
    assert.ok(results.every((r) => r.ok));
  });

  it('logs the refresh without tokens or keys', async () => {
    h = await startSalesforceHarness({ sandbox: { tokenTtlMs: 60_000 } });
    const ids = seedOptedIn(h.sandbox, 1);
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const adapter = createSalesforceAdapter(
      { loginUrl: h.sandbox.credentials.loginUrl, clientId: h.sandbox.credentials.clientId, auth: { kind: 'jwt', username: h.sandbox.credentials.username, privateKey: 'env:KEY' } },
      { resolveSecret: async () => h.sandbox.credentials.privateKeyPem, logger: createLogger({ level: 'debug', destination: sink }) },
    );
    await adapter.getDeals(ids);
    h.sandbox.clock.advance(61_000);
    await adapter.getDeals(ids);
    const log = lines.join('');
    assert.match(log, /salesforce\.token_refreshed/);
    for (const token of h.sandbox.store.tokens.keys()) assert.ok(!log.includes(token));
    assert.ok(!log.includes('PRIVATE KEY') && !log.includes(h.sandbox.credentials.clientSecret));
  });

  it('turns refused credentials into an AuthError that carries no secret', async () => {
    h = await startSalesforceHarness({ setup: false });
    const adapter = h.makeAdapter({ clientId: 'not-the-app' });
    await assert.rejects(adapter.listStages(), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.match(error.message, /invalid_client_id/);
      assert.ok(!error.message.includes('PRIVATE KEY'));
      return true;
    });
    const report = await adapter.check();
    assert.equal(report.ready, false);
    assert.equal(report.items[0]?.name, 'Sign-in');
  });

  it('a sign-in answered 503 by the token endpoint is an outage to retry, not refused credentials', async () => {
    h = await startSalesforceHarness({ setup: false });
    h.sandbox.faults.configure({ rate: 1, kinds: { '503': 1 }, match: '^POST /services/oauth2/token$', limit: 1 });
    const adapter = h.makeAdapter();
    await assert.rejects(adapter.listStages(), (error: unknown) => {
      assert.ok(!(error instanceof AuthError), `not a credentials problem: ${(error as Error).message}`);
      assert.equal((error as { retryable?: boolean }).retryable, true, 'the run fails retryably and the timer tries again');
      assert.match((error as Error).message, /503/);
      // The login service's outage page is HTML: its title says what happened, its markup (a real
      // maintenance page runs to kilobytes) went into every FAILED line, status row and admin email.
      assert.match((error as Error).message, /an HTML page \("Service Unavailable"\) instead of an API answer/);
      assert.doesNotMatch((error as Error).message, /<html|<\/body>/i);
      return true;
    });
    assert.ok((await adapter.listStages()).length > 0, 'the next sign-in, once the service answers, works');
  });

  it('pauses with BudgetPausedError past its share of the daily API limit', async () => {
    h = await startSalesforceHarness({ sandbox: { dailyLimit: 1000 }, adapter: { budgetShare: 0.8 } });
    seedOptedIn(h.sandbox, 3);
    h.sandbox.store.apiUsage = 850;
    await assert.rejects(drain(h.adapter.readChanges(undefined)), (error: unknown) => {
      assert.ok(error instanceof BudgetPausedError);
      assert.match(error.message, /851 of 1,000 daily API requests used \(85%\).*at most 80%/);
      return true;
    });
    const report = await h.adapter.check();
    assert.equal(report.ready, false);
  });

  it('pauses on 403 REQUEST_LIMIT_EXCEEDED instead of retrying', async () => {
    h = await startSalesforceHarness();
    const ids = seedOptedIn(h.sandbox, 2);
    // Updates go in one Composite call with the version check that precedes them (write.ts).
    h.sandbox.faults.configure({ rate: 1, kinds: { REQUEST_LIMIT_EXCEEDED: 1 }, match: '^POST .*/composite$' });
    await assert.rejects(h.adapter.write(ids.map((id) => ({ kind: 'status', key: id, crmId: id, status: { state: 'synced', message: '' } }))), BudgetPausedError);
    assert.equal(h.sandbox.faults.injectedCount(), 1);
  });

  it('rides out a 503 and a dropped connection on reads and writes', async () => {
    h = await startSalesforceHarness();
    const ids = seedOptedIn(h.sandbox, 5);
    // The feed's first request is one Composite call (first-round.ts).
    h.sandbox.faults.configure({ rate: 1, kinds: { '503': 1 }, match: '^POST .*/composite$', limit: 1 });
    assert.equal(await drain(h.adapter.readChanges(undefined)), 5);
    h.sandbox.faults.configure({ rate: 1, kinds: { '503': 1 }, match: '^POST .*/composite$', limit: 1 });
    assert.equal((await h.adapter.getDeals(ids)).length, 5);
    h.sandbox.faults.configure({ rate: 1, kinds: { drop: 1 }, match: '^POST .*/composite$', limit: 1 });
    const results = await h.adapter.write(ids.map((id) => ({ kind: 'status', key: id, crmId: id, status: { state: 'synced', message: '' } })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    assert.equal(h.sandbox.counters.get('fault:503'), 2);
    assert.equal(h.sandbox.counters.get('fault:drop'), 1);
  });

  it('retries a whole collection call refused with 400 UNABLE_TO_LOCK_ROW', async () => {
    h = await startSalesforceHarness();
    const ids = seedOptedIn(h.sandbox, 3);
    h.sandbox.faults.configure({ rate: 1, kinds: { UNABLE_TO_LOCK_ROW: 1 }, match: '^POST .*/composite$', limit: 1 });
    const results = await h.adapter.write(ids.map((id) => ({ kind: 'status', key: id, crmId: id, status: { state: 'synced', message: '' } })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    assert.equal(h.sandbox.counters.get('fault:UNABLE_TO_LOCK_ROW'), 1);
    assert.equal(h.sandbox.counters.get('composite.composite/sobjects:PATCH'), 1);
  });

  it('reports records as transient, without throwing, when Salesforce stays unavailable for a write', async () => {
    h = await startSalesforceHarness();
    const ids = seedOptedIn(h.sandbox, 2);
    h.sandbox.faults.configure({ rate: 1, kinds: { '503': 1 }, match: '^POST .*/composite$' });
    const results = await h.adapter.write(ids.map((id) => ({ kind: 'status', key: id, crmId: id, status: { state: 'synced', message: '' } })));
    assert.deepEqual(results.map((r) => (r.ok ? 'ok' : r.code)), ['transient', 'transient']);
  });
});
