/**
 * The job queue on a real PostgreSQL database with real pg-boss: one waiting job per tenant, no job queued
 * behind a running one (which in pg-boss 10 would stall every other tenant), a scheduler tick that wakes
 * what is due, and the shared API budget under concurrent takers.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { openJobQueue, type JobQueue } from '../../core/worker/job-queue.js';
import { acquireFromBudget, pauseBudget, takeFromBudget } from '../../core/worker/rate-budget.js';
import { schedulerTick } from '../../core/worker/scheduler.js';
import { runTenantJob } from '../../core/worker/tenant-job.js';
import { readTenantWork, requestCycle } from '../../core/worker/tenant-work.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { QUEUE_TEST_TIMING } from './fixtures/queue-timing.js';
import { insertTenants } from './tenants-fixture.js';

async function until(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('job queue and scheduler (PostgreSQL, pg-boss)', function () {
  this.timeout(60_000);
  const database = useThrowawayPgDatabase();
  let queue: JobQueue;
  const pool = () => database().db.pool;

  before(async () => {
    queue = await openJobQueue({ connectionString: database().url, pool: pool(), ...QUEUE_TEST_TIMING });
    await insertTenants(pool(), ['alpha', 'bravo', 'charlie', 'delta']);
  });
  after(async () => queue?.stop(5_000));

  it('hands a CSV job to a worker beside the tenant jobs', async () => {
    const taken: number[] = [];
    await queue.workCsv(async (id) => void taken.push(id));
    await queue.sendCsv(41);
    await until(async () => taken.length === 1, 20_000, 'the CSV job');
    assert.deepEqual(taken, [41]);
  });

  it('keeps one waiting wake-up per tenant, whoever asks', async () => {
    const first = await queue.wake('alpha', 'manual');
    assert.equal(first.send, true);
    assert.ok(first.jobId);
    assert.deepEqual(await Promise.all([queue.wake('alpha', 'webhook'), queue.wake('alpha', 'schedule')]), [{ send: false, reason: 'waiting' }, { send: false, reason: 'waiting' }]);
    assert.deepEqual(await queue.openStates('alpha'), ['created']);
  });

  it('runs the wanted cycles; a tenant running a long cycle gets no job queued behind it, and other tenants are not held up', async () => {
    // Alpha's waiting job (the test above) runs as soon as a worker starts: its cycle is wanted before.
    const now = new Date();
    for (const id of ['alpha', 'bravo']) await requestCycle(pool(), id, now);
    const ran: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await queue.work(2, async (job) => {
      await runTenantJob(pool(), job.tenantId, {
        now: () => new Date(),
        runCycle: async (tenantId) => {
          ran.push(tenantId);
          if (tenantId === 'bravo') await held;
        },
      });
    });
    await queue.wake('bravo', 'manual');
    await until(async () => (await queue.openStates('bravo')).includes('active'), 20_000, "bravo's cycle to start");

    // While bravo runs: new demand for bravo is recorded but no job is queued behind it.
    await requestCycle(pool(), 'bravo', new Date());
    assert.deepEqual(await queue.wake('bravo', 'webhook'), { send: false, reason: 'running' });
    assert.deepEqual(await queue.openStates('bravo'), ['active']);
    // Charlie and delta, woken by the scheduler's tick, finish while bravo still runs.
    await requestCycle(pool(), 'charlie', new Date());
    await requestCycle(pool(), 'delta', new Date());
    const tick = await schedulerTick(pool(), queue, new Date());
    assert.deepEqual(tick.woken.sort(), ['charlie', 'delta']);
    assert.deepEqual(tick.deferred.find((d) => d.tenantId === 'bravo'), { tenantId: 'bravo', reason: 'running' });
    await until(async () => ran.includes('charlie') && ran.includes('delta') && ran.includes('alpha'), 20_000, 'alpha, charlie and delta to run');
    assert.deepEqual(await queue.openStates('bravo'), ['active'], 'bravo is still running');

    // Bravo ends; its second request is done in the same job (a cycle wanted while one ran).
    release();
    await until(async () => (await queue.openStates('bravo')).length === 0, 20_000, "bravo's job to end");
    assert.equal(ran.filter((t) => t === 'bravo').length, 2);
    for (const id of ['alpha', 'bravo', 'charlie', 'delta']) {
      const work = await readTenantWork(pool(), id);
      assert.equal(work?.lastOutcome, 'ok', id);
      assert.equal(work?.cycleDoneFor?.getTime(), work?.cycleWantedAt?.getTime(), `${id}: nothing left wanted`);
    }
  });

  it('a failed cycle records why, keeps the cycle wanted, and the queue retries it', async () => {
    await requestCycle(pool(), 'alpha', new Date());
    let attempts = 0;
    const job = () => runTenantJob(pool(), 'alpha', {
      now: () => new Date(),
      runCycle: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('Partner Center answered 503');
      },
    });
    await assert.rejects(job, /503/);
    const failed = await readTenantWork(pool(), 'alpha');
    assert.equal(failed?.lastOutcome, 'failed: Error: Partner Center answered 503');
    assert.ok(failed!.cycleDoneFor! < failed!.cycleWantedAt!, 'still wanted');
    assert.equal(await job(), 1);
    assert.equal((await readTenantWork(pool(), 'alpha'))?.lastOutcome, 'ok');
  });

  it('shares an API budget between concurrent takers without overdrawing it, and a pause holds every taker', async () => {
    const limit = { calls: 10, windowMs: 60_000 };
    const now = new Date('2026-12-04T10:00:00Z');
    const grants = await Promise.all(Array.from({ length: 25 }, () => takeFromBudget(pool(), 'pc:org-1', 1, limit, now)));
    assert.equal(grants.filter((g) => g.granted).length, 10);
    const refused = grants.find((g) => !g.granted);
    assert.equal(refused && !refused.granted && refused.retryAt.toISOString(), '2026-12-04T10:01:00.000Z', 'retry when the window ends');
    assert.equal((await takeFromBudget(pool(), 'pc:org-1', 1, limit, new Date('2026-12-04T10:01:00Z'))).granted, true, 'a new window');
    assert.equal((await takeFromBudget(pool(), 'pc:org-2', 1, limit, now)).granted, true, 'budgets are per organisation');

    await pauseBudget(pool(), 'pc:org-2', new Date('2026-12-04T10:00:30Z'));
    const paused = await takeFromBudget(pool(), 'pc:org-2', 1, limit, new Date('2026-12-04T10:00:10Z'));
    assert.deepEqual(paused, { granted: false, retryAt: new Date('2026-12-04T10:00:30Z') });
    let clock = new Date('2026-12-04T10:00:10Z');
    const slept: number[] = [];
    await acquireFromBudget(pool(), 'pc:org-2', 1, limit, { now: () => clock, sleep: async (ms) => void (slept.push(ms), (clock = new Date(clock.getTime() + ms))) });
    assert.deepEqual(slept, [20_000], 'waited exactly until the pause ended');
    await assert.rejects(takeFromBudget(pool(), 'pc:org-1', 11, limit, now), RangeError);
  });
});
