/**
 * Two worker processes share three tenants through the queue while demand keeps arriving; one worker is
 * killed with SIGKILL in the middle of a cycle. The queue alone (pg-boss's stately index, the lease and
 * its retry) must keep every tenant to one cycle at a time, before and after the kill, and the surviving
 * worker must finish the dead one's cycle and everything wanted after it.
 *
 * The cycle here records when it ran instead of syncing: this checks the queue layer. Running the sync
 * engine in the cycle waits for the engine's move to the asynchronous store (docs/scale-out.md).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { readTenantWork, requestCycle } from '../../core/worker/tenant-work.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { insertTenants } from './tenants-fixture.js';

const TENANTS = ['contoso', 'fabrikam', 'northwind'];

interface CycleRow {
  tenant_id: string;
  worker: string;
  job_id: string;
  started_at: Date;
  ended_at: Date | null;
}

/** `cycleMs`: how long a cycle lasts, or `held`: until the process is killed. */
function startWorker(url: string, name: string, cycleMs: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/worker/fixtures/recording-worker.ts'], {
    env: { ...process.env, DATABASE_URL: url, WORKER_NAME: name, CYCLE_MS: cycleMs },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}) before it was ready`)));
  });
}

describe('workers: kill -9 of one of two workers (PostgreSQL, pg-boss)', function () {
  this.timeout(120_000);
  const workers: ChildProcess[] = [];
  // Registered before the database's hooks, so the workers end before their database is dropped (after a
  // failure they went on and died on the dropped database, burying the failure in their stack traces).
  after(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  });
  const database = useThrowawayPgDatabase();

  it('never runs one tenant twice at once, and the survivor finishes the dead worker\'s cycle and the rest', async () => {
    const { db, url } = database();
    const pool = db.pool;
    await pool.query('CREATE TABLE cycle_log (id SERIAL PRIMARY KEY, tenant_id TEXT, worker TEXT, job_id TEXT, started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ)');
    await insertTenants(pool, TENANTS);
    // w1's cycles are held until its kill: the cycle picked below is cut by the kill however long this
    // process takes to send it. (It picked a cycle begun in the last 200 ms of a 700-ms one and had the
    // other 500 ms to kill it: a loaded machine could let the cycle end first.) The kill still lands well
    // inside the job's 3-s lease, so no other worker has taken that tenant meanwhile.
    // w2's cycles last 300 ms: a job runs up to 3 cycles, and with 700 ms ones (2.1 s plus the queries)
    // a loaded machine took a job past its 3-s lease, so the queue ran the tenant again beside it.
    workers.push(await startWorker(url, 'w1', 'held'), await startWorker(url, 'w2', '300'));

    // Demand keeps arriving for every tenant (as webhooks and schedules would), faster than cycles end.
    let asking = true;
    const demand = (async () => {
      while (asking) {
        for (const id of TENANTS) await requestCycle(pool, id, new Date());
        await sleep(400);
      }
    })();

    // Kill w1 while it is in the middle of a cycle.
    let victim: CycleRow | undefined;
    const deadline = Date.now() + 30_000;
    while (!victim && Date.now() < deadline) {
      await sleep(50);
      const { rows } = await pool.query<CycleRow>("SELECT * FROM cycle_log WHERE worker = 'w1' AND ended_at IS NULL");
      victim = rows[0];
    }
    assert.ok(victim, 'w1 ran a cycle');
    workers[0]!.kill('SIGKILL');
    const killedAt = new Date();
    await once(workers[0]!, 'exit');

    // Keep the demand up past the lease (3 s) and the retry delay, then let the survivor drain it.
    await sleep(7_000);
    asking = false;
    await demand;
    const lastAsked = new Date();
    await (async () => {
      const end = Date.now() + 40_000;
      for (;;) {
        const works = await Promise.all(TENANTS.map((id) => readTenantWork(pool, id)));
        if (works.every((w) => w?.cycleDoneFor && w.cycleDoneFor >= w.cycleWantedAt!)) return;
        if (Date.now() > end) throw new Error(`not converged: ${JSON.stringify(works)}`);
        await sleep(200);
      }
    })();

    // A cut job's retry need not be what ran the tenant's last wanted cycle (a later wake-up of w2 can
    // have): wait for the retries themselves, not only for the tenants to be done.
    const cutJobs = (await pool.query<{ job_id: string }>('SELECT DISTINCT job_id FROM cycle_log WHERE ended_at IS NULL')).rows.map((r) => r.job_id);
    const jobStates = async (id: string) =>
      (await pool.query<{ state: string; retry_count: number }>('SELECT state::text AS state, retry_count FROM pgboss.job WHERE id = $1 UNION ALL SELECT state::text, retry_count FROM pgboss.archive WHERE id = $1', [id])).rows;
    const retriesEnd = Date.now() + 40_000;
    for (const id of cutJobs) {
      while (!(await jobStates(id)).some((j) => j.state === 'completed') && Date.now() < retriesEnd) await sleep(200);
    }

    const { rows: cycles } = await pool.query<CycleRow>('SELECT * FROM cycle_log ORDER BY started_at');
    // One cycle at a time per tenant: the dead worker's cycle counts as running until the kill.
    for (const id of TENANTS) {
      const mine = cycles.filter((c) => c.tenant_id === id);
      assert.ok(mine.length >= 2, `${id} ran several cycles (${mine.length})`);
      for (let i = 1; i < mine.length; i += 1) {
        const previousEnd = mine[i - 1]!.ended_at ?? killedAt;
        assert.ok(mine[i]!.started_at >= previousEnd, `${id}: a cycle began at ${mine[i]!.started_at.toISOString()} before the previous one ended at ${previousEnd.toISOString()}`);
      }
      const work = await readTenantWork(pool, id);
      assert.ok(work!.cycleDoneFor! >= work!.cycleWantedAt!, `${id}: every wanted cycle was run`);
      assert.ok(work!.cycleWantedAt! <= lastAsked);
    }
    // Every cycle the dead worker was in (it takes two jobs at a time) was run again by the survivor, in the
    // same job, after the job's lease ended.
    const cut = cycles.filter((c) => c.ended_at === null);
    assert.ok(cut.some((c) => c.job_id === victim!.job_id), 'the cycle picked was cut by the kill');
    assert.ok(cut.every((c) => c.worker === 'w1' && c.started_at < killedAt), 'only cycles of the killed worker never ended');
    for (const dead of cut) {
      const again = cycles.filter((c) => c.job_id === dead.job_id && c.worker === 'w2');
      assert.ok(again.length >= 1 && again[0]!.ended_at && again[0]!.started_at > killedAt, `w2 finished job ${dead.job_id}`);
      const jobs = await jobStates(dead.job_id);
      assert.deepEqual(jobs.map((j) => j.state), ['completed']);
      assert.ok(jobs[0]!.retry_count >= 1, 'completed on a retry');
    }
  });
});
