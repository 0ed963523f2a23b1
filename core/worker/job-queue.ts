/**
 * The job queue the workers share: pg-boss 10 on the same PostgreSQL database as the tenants' state
 * (docs/scale-out.md says why pg-boss and not BullMQ). One queue, `cosell-tenant-work`, policy `stately`
 * with singletonKey = tenant ID: pg-boss's own unique index keeps a tenant to one running job and one
 * waiting job whatever the number of workers or machines; no locking of ours decides it.
 *
 * A job only wakes a tenant; what the tenant has to do (a cycle wanted by the schedule, targeted work from
 * webhooks) is in `tenant_work`, so a wake-up absorbed by a waiting job loses nothing. A job whose worker
 * dies stays active until its lease (`leaseSeconds`) ends; pg-boss's maintenance then fails it into
 * `retry`, and any worker takes it again after `retryDelaySeconds`.
 */
import type pg from 'pg';
import PgBoss from 'pg-boss';
import { wakeDecision, type OpenJobState, type WakeDecision } from './wake-decision.js';

export const TENANT_QUEUE = 'cosell-tenant-work';
/** Bulk CSV imports and exports (csv-jobs.ts): a standard queue, since they do not touch a tenant's sync state. */
export const CSV_QUEUE = 'cosell-tenant-csv';

export interface TenantJob {
  tenantId: string;
  /** Why it was woken (schedule, webhook, manual), for the log. */
  reason: string;
}

export interface JobQueueOptions {
  /** postgres://…: pg-boss opens its own small pool (its `pgboss` schema, created on first start). */
  connectionString: string;
  /** Our pool on the same database, for reading the queue's open jobs per tenant. */
  pool: pg.Pool;
  /** How long a job may run before it counts as lost and is retried elsewhere (pg-boss 10 has no heartbeat). */
  leaseSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How often pg-boss's maintenance looks for expired leases (one instance does it at a time). */
  maintenanceSeconds?: number;
  /** How often an idle worker asks for a job. */
  pollingSeconds?: number;
  schema?: string;
  /** pg-boss's own failures (logged by the caller). */
  onError?: (error: Error) => void;
}

export interface JobQueue {
  readonly boss: PgBoss;
  /** The states of the tenant's jobs that are not finished. */
  openStates(tenantId: string): Promise<OpenJobState[]>;
  /** Sends a wake-up job for the tenant unless one waits or runs (wake-decision.ts). */
  wake(tenantId: string, reason: string): Promise<WakeDecision & { jobId?: string }>;
  /** Runs `handler` for tenant jobs, `concurrency` at a time in this process. A rejection retries the job. */
  work(concurrency: number, handler: (job: TenantJob, jobId: string) => Promise<void>): Promise<void>;
  /** Queues a CSV job recorded in `tenant_csv_jobs`. */
  sendCsv(csvJobId: number): Promise<void>;
  /** Runs `handler` for CSV jobs, one at a time in this process. */
  workCsv(handler: (csvJobId: number) => Promise<void>): Promise<void>;
  /** Stops taking jobs, waits for the running ones (up to `timeoutMs`), and closes pg-boss's pool. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function openJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  const schema = options.schema ?? 'pgboss';
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    max: 4,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceSeconds ?? 30,
    monitorStateIntervalSeconds: 60,
  });
  // pg-boss reports its own failures (maintenance, a fetch) as events and retries them on its next
  // interval; without a listener an 'error' event would end the process.
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();
  try {
    await ensureQueue(boss, options.pool, {
      name: TENANT_QUEUE,
      policy: 'stately',
      expireInSeconds: options.leaseSeconds ?? 15 * 60,
      retryLimit: options.retryLimit ?? 5,
      retryDelay: options.retryDelaySeconds ?? 5,
      retryBackoff: false,
    });
    await ensureQueue(boss, options.pool, { name: CSV_QUEUE, policy: 'standard', expireInSeconds: options.leaseSeconds ?? 15 * 60, retryLimit: 2, retryDelay: options.retryDelaySeconds ?? 5 });
  } catch (error) {
    // A started pg-boss keeps timers and a pool open: a worker that could not start must still end.
    await boss.stop({ graceful: false, wait: true, timeout: 1_000 }).catch(() => undefined);
    throw error;
  }
  const openStates = async (tenantId: string): Promise<OpenJobState[]> => {
    const { rows } = await options.pool.query<{ state: OpenJobState }>(
      `SELECT state::text AS state FROM ${schema}.job WHERE name = $1 AND singleton_key = $2 AND state < 'completed'`,
      [TENANT_QUEUE, tenantId],
    );
    return rows.map((r) => r.state);
  };

  return {
    boss,
    openStates,
    async wake(tenantId, reason) {
      const decision = wakeDecision(await openStates(tenantId));
      if (!decision.send) return decision;
      const job: TenantJob = { tenantId, reason };
      // null: another wake-up got in first (the stately index refused this one): it does the same work.
      const jobId = await boss.send(TENANT_QUEUE, job, { singletonKey: tenantId });
      return jobId ? { send: true, jobId } : { send: false, reason: 'waiting' };
    },
    async work(concurrency, handler) {
      // pg-boss 10 runs one handler per work() registration: N registrations, one job each.
      for (let i = 0; i < concurrency; i += 1) {
        await boss.work<TenantJob>(TENANT_QUEUE, { batchSize: 1, pollingIntervalSeconds: options.pollingSeconds ?? 2 }, async ([job]) => {
          if (job) await handler(job.data, job.id);
        });
      }
    },
    async sendCsv(csvJobId) {
      await boss.send(CSV_QUEUE, { csvJobId });
    },
    async workCsv(handler) {
      await boss.work<{ csvJobId: number }>(CSV_QUEUE, { batchSize: 1, pollingIntervalSeconds: options.pollingSeconds ?? 2 }, async ([job]) => {
        if (job) await handler(job.data.csvJobId);
      });
    },
    async stop(timeoutMs = 30_000) {
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    },
  };
}

/** Any fixed 64-bit number unique to this purpose: the advisory lock held while the queue is created. */
const QUEUE_CREATION_LOCK_KEY = 7_362_019_418_116_002;

/**
 * Creates the queue once. Workers starting together on a new database would otherwise deadlock in pg-boss
 * 10's `create_queue`: one inserts the queue row, then gives the queue's partition a foreign key to the
 * queue table, which waits for the other's insert, itself waiting for that row. PostgreSQL aborts one with
 * "deadlock detected", and that worker fails to start. So creators take turns under an advisory lock,
 * and each looks again once it has its turn.
 */
async function ensureQueue(boss: PgBoss, pool: pg.Pool, queue: PgBoss.Queue): Promise<void> {
  if (await boss.getQueue(queue.name)) return;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [QUEUE_CREATION_LOCK_KEY]);
    try {
      if (!(await boss.getQueue(queue.name))) await boss.createQueue(queue.name, queue);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [QUEUE_CREATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
