/**
 * A tenant's sync cycles as a worker runs them (core/worker/tenant-cycle.ts): the real engine against
 * the sandboxes, with the tenant's state in PostgreSQL and its Partner Center sign-in in the database,
 * encrypted under its own key. Both directions sync, the next cycle writes nothing, and a second tenant's
 * state is its own.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { pgStateStore } from '../../core/store/pg/pg-store.js';
import { runTenantCycle } from '../../core/worker/tenant-cycle.js';
import { readTenantWork, requestCycle } from '../../core/worker/tenant-work.js';
import { startWorker } from '../../core/worker/worker.js';
import { salesforceConsole } from '../../sandbox/consoles/salesforce.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';
import { addSandboxTenant } from '../../sandbox/tenant.js';
import { useTenantSecretsDir } from '../tenants/tenant-secrets-dir.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/index.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { signalsFollowing } from '../helpers/signal-followers.js';

describe('a tenant synced by a worker cycle (PostgreSQL state, real engine, sandboxes)', function () {
  this.timeout(120_000);
  const database = useThrowawayPgDatabase();
  const masterKey = randomBytes(32);
  const sets: SandboxSet[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cosell-tenant-cycle-'));
  useTenantSecretsDir(dir);
  after(async () => {
    for (const set of sets) await set.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs both directions, goes quiet on the next cycle, and keeps each tenant to its own rows', async () => {
    const { db } = database();
    const set = await startSandboxSet({ seed: false });
    sets.push(set);
    await addSandboxTenant({ db, set, kind: 'salesforce', tenantId: 'contoso', masterKey, dir });
    const seller = salesforceConsole(set.salesforce);
    const outbound = await seller.createDeal(dealSpec('Worker outbound deal', { optIn: true }));
    const sent = set.partnerCenter.actAs('msft').sendReferral({ deal: { dealName: 'Worker inbound deal' } });
    assert.ok(sent.ok);
    const inbound = sent.value.id;

    const cycle = () => runTenantCycle({ db, tenantId: 'contoso', masterKey, logger: silentLogger(), owner: 'test-worker' });
    const first = await cycle();
    assert.equal(first.outcome, 'ok', first.message);
    assert.equal(first.counts.pcCreated, 1, 'the opted-in deal became a referral');
    assert.equal(first.counts.crmCreated, 1, 'the inbound referral became an opportunity');
    let last = first;
    for (let i = 0; i < 4 && last.writes > 0; i += 1) last = await cycle();
    assert.equal(last.writes, 0, `quiet: ${JSON.stringify(last.counts)}`);

    const store = await pgStateStore(db, 'contoso');
    const links = await store.listLinks({});
    assert.equal(links.length, 2);
    assert.ok(links.some((l) => l.crmId === outbound));
    assert.ok(links.some((l) => l.referralId === inbound));
    assert.equal(await store.lockHolder(), undefined, 'the cycle gave the runner lock back');
    const runs = await store.listRuns(10);
    assert.ok(runs.length >= 2 && runs.every((r) => r.outcome === 'ok'));
    // Every request was drawn from the organisation's shared budgets, which all workers use.
    const { rows: budgets } = await db.pool.query<{ scope: string; used: number }>('SELECT scope, used FROM rate_budgets ORDER BY scope');
    assert.deepEqual(budgets.map((b) => b.scope), [`pc:${OUR_PARTNER_ORG}`, 'salesforce:contoso']);
    assert.equal(budgets[0]!.used, set.partnerCenter.counters.total(), 'each Partner Center request took one call');
    assert.ok(budgets[1]!.used > 0);

    // A second tenant on the same database sees none of the first one's links.
    const second = await startSandboxSet({ seed: false });
    sets.push(second);
    await addSandboxTenant({ db, set: second, kind: 'dynamics', tenantId: 'fabrikam', masterKey, dir });
    const quiet = await runTenantCycle({ db, tenantId: 'fabrikam', masterKey, logger: silentLogger(), owner: 'test-worker' });
    assert.equal(quiet.outcome, 'ok', quiet.message);
    assert.equal(quiet.writes, 0);
    assert.deepEqual(await (await pgStateStore(db, 'fabrikam')).listLinks({}), []);
  });

  it('a worker takes the tenant\'s wanted cycle from the queue and counts the run under the tenant on its /metrics', async () => {
    const { db, url } = database();
    const worker = await startWorker({ connectionString: url, masterKey, logger: silentLogger(), concurrency: 1, tickMs: 200, pollingSeconds: 0.5, metricsPort: 0 });
    try {
      await requestCycle(db.pool, 'contoso', new Date());
      const ran = /cosell_runs_total\{tenant="contoso",kind="poll",outcome="ok"\} 1/;
      for (let i = 0; i < 100 && !ran.test(await (await fetch(worker.metricsUrl!)).text()); i += 1) await new Promise((done) => setTimeout(done, 200));
      const text = await (await fetch(worker.metricsUrl!)).text();
      assert.match(text, ran);
      assert.match(text, /cosell_api_calls_total\{tenant="contoso",service="partner-center"\} [1-9]/);
      const work = await readTenantWork(db.pool, 'contoso');
      assert.ok(work?.cycleDoneFor && work.cycleWantedAt && work.cycleDoneFor >= work.cycleWantedAt, 'the wanted cycle is done');
    } finally {
      await worker.stop();
    }
  });

  it('refuses a cycle while another holder has the tenant, naming it', async () => {
    const { db } = database();
    const store = await pgStateStore(db, 'contoso');
    assert.equal(await store.acquireLock('another-worker', Date.now(), 60_000, { pid: process.pid, host: 'elsewhere' }), true);
    await assert.rejects(runTenantCycle({ db, tenantId: 'contoso', masterKey, logger: silentLogger(), owner: 'test-worker' }), (e: Error & { code?: string }) => e.code === 'worker.tenant_locked' && /another-worker/.test(e.message));
    await store.releaseLock('another-worker');
  });

  it('cycles under the worker\'s stop signal, one for the process\'s life, leave nothing on it', async () => {
    // AbortSignal.any([stop, lost]) per cycle left an entry on the worker's stop that Node 20 never removes:
    // one per tenant cycle for the worker's life (core/run-stop.ts).
    const { db } = database();
    const stopping = new AbortController();
    for (let i = 0; i < 3; i += 1) {
      const report = await runTenantCycle({ db, tenantId: 'contoso', masterKey, logger: silentLogger(), owner: 'test-worker', signal: stopping.signal });
      assert.equal(report.outcome, 'ok', report.message);
    }
    assert.equal(signalsFollowing(stopping.signal), 0);
    assert.equal(getEventListeners(stopping.signal, 'abort').length, 0);
  });
});
