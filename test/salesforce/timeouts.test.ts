/**
 * A Salesforce call that gets no answer fails after `timeoutMs`, retryable, naming the operation and the
 * setting: the run fails, the lock is released and `cosell run`'s next turn tries again. Until 2026-12-05
 * jsforce's own default applied (30 minutes per call), so a sign-in or a composite call to a Salesforce that
 * stopped answering held the run, and the lock, for half an hour; a sign-in that timed out was then reported
 * as refused credentials (exit 3).
 */
import assert from 'node:assert/strict';
import { AuthError, ConnectorError } from '../../core/errors.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

async function failureOf(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  assert.fail('the call should have failed');
}

describe('Salesforce adapter: calls that get no answer', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  afterEach(() => h?.sandbox.faults.configure(undefined));
  after(() => h?.close());

  it('a composite call fails after timeoutMs, retryable, naming the operation and the setting', async () => {
    h = await startSalesforceHarness();
    const ids = seedOptedIn(h.sandbox, 2);
    const adapter = h.makeAdapter({ timeoutMs: 1_000 });
    await adapter.getDeals(ids);
    h.sandbox.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 20_000, match: 'composite' });
    const { error, ms } = await failureOf(() => adapter.getDeals(ids));
    assert.ok(ms < 10_000, `failed after ${ms} ms`);
    assert.ok(error instanceof ConnectorError && !(error instanceof AuthError), String(error));
    assert.equal(error.retryable, true);
    assert.match(error.message, /no answer within 1 s \(crm > salesforce > timeoutMs\)/);
  });

  it('a sign-in that gets no answer is not reported as refused credentials', async () => {
    h.sandbox.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 20_000, match: 'oauth2' });
    const adapter = h.makeAdapter({ timeoutMs: 1_000 });
    const { error, ms } = await failureOf(() => adapter.getDeals(seedOptedIn(h.sandbox, 1)));
    assert.ok(ms < 10_000, `failed after ${ms} ms`);
    assert.ok(error instanceof ConnectorError && !(error instanceof AuthError), String(error));
    assert.equal(error.retryable, true);
    assert.match(error.message, /sign-in: .*no answer within 1 s/);
  });
});
