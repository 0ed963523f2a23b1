/**
 * pg-boss 10 has no heartbeat: a tenant job that outruns its lease (a slow cycle, a loaded machine) is
 * handed out again while its first attempt still runs, also to the same worker. The runner lock is the
 * second line of defence, but both attempts in one worker were one lock owner (`worker/jobId`), and a lock
 * is taken again by its own owner: the second attempt ran the tenant's cycle beside the first and marked
 * the live run "Interrupted" (seen in worker-kill-sync.pg.test.ts on a loaded machine). Each attempt must
 * find the lock held by the other and leave the tenant alone.
 *
 * The lease's end is played by dating the running job's start back by its lease; pg-boss's own maintenance
 * then expires it and hands it out again (with a full lease: the retry's start is dated anew). The first attempt is held inside its cycle by a Partner Center that
 * does not answer its referral create (a `slow` fault) until the test has seen what the second did.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { silentLogger } from '../../core/logger.js';
import { TENANT_QUEUE } from '../../core/worker/job-queue.js';
import { requestCycle } from '../../core/worker/tenant-work.js';
import { startWorker } from '../../core/worker/worker.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { salesforceConsole } from '../../sandbox/consoles/salesforce.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';
import { addSandboxTenant } from '../../sandbox/tenant.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { useTenantSecretsDir } from '../tenants/tenant-secrets-dir.js';

async function until<T>(what: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const seen = await what();
    if (seen !== undefined) return seen;
    await sleep(100);
  }
}

const lockOwner = async (pool: pg.Pool) => (await pool.query<{ owner: string }>("SELECT owner FROM runner_locks WHERE tenant_id = 'contoso'")).rows[0]?.owner;

describe('a tenant job handed out again while its first attempt still runs, in the same worker (PostgreSQL, pg-boss)', function () {
  this.timeout(180_000);
  const database = useThrowawayPgDatabase();
  const masterKey = randomBytes(32);
  const dir = mkdtempSync(join(tmpdir(), 'cosell-redelivered-'));
  useTenantSecretsDir(dir);
  let set: SandboxSet | undefined;
  after(async () => {
    await set?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the second attempt finds the lock held and leaves the running cycle alone', async () => {
    const { db, url } = database();
    set = await startSandboxSet({ seed: false });
    // A schedule that does not come due in the test: the one cycle is the one asked for below.
    await addSandboxTenant({ db, set, kind: 'salesforce', tenantId: 'contoso', masterKey, dir, schedule: '0 0 1 1 *' });
    await salesforceConsole(set.salesforce).createDeal(dealSpec('Redelivered job deal', { optIn: true }));
    set.partnerCenter.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 60_000, match: '^POST .*referrals' });
    const worker = await startWorker({ connectionString: url, masterKey, logger: silentLogger(), concurrency: 2, tickMs: 200, pollingSeconds: 0.5, maintenanceSeconds: 1, retryDelaySeconds: 0, leaseSeconds: 600 });
    try {
      await requestCycle(db.pool, 'contoso', new Date());
      const first = await until(() => lockOwner(db.pool));
      // The lease ends: pg-boss's maintenance expires the job and it is handed out again (retry_count 1).
      await db.pool.query("UPDATE pgboss.job SET started_on = now() - expire_in - interval '1 second' WHERE name = $1 AND state = 'active'", [TENANT_QUEUE]);
      // What the second attempt did: failed on the held lock (retried: retry_count 2), or ran a cycle.
      const runs = () => db.pool.query<{ id: string; finished_at: string | null; message: string | null }>("SELECT id, finished_at, message FROM runs WHERE tenant_id = 'contoso' ORDER BY id");
      await until(async () => {
        const job = (await db.pool.query<{ retry_count: number }>('SELECT retry_count FROM pgboss.job WHERE name = $1', [TENANT_QUEUE])).rows[0];
        return (job && job.retry_count >= 2) || (await runs()).rowCount! > 1 ? true : undefined;
      });
      assert.equal(await lockOwner(db.pool), first, 'the first attempt still holds the lock');
      const seen = (await runs()).rows;
      assert.deepEqual(seen.map((r) => [r.finished_at, r.message]), [[null, null]], `one run, the first attempt's, still running: ${JSON.stringify(seen)}`);
    } finally {
      set.partnerCenter.faults.configure(undefined);
      await worker.stop();
    }
  });
});
