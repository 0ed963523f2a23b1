/**
 * `cosell worker`: one process of a multi-tenant install. It runs the scheduler tick (every worker does:
 * scheduler.ts), takes tenant jobs from the queue `concurrency` at a time, and runs each tenant's wanted
 * cycles (tenant-job.ts) against that tenant's PostgreSQL state (tenant-cycle.ts). Any number of workers on
 * any number of machines share one database; the queue keeps each tenant to one job at a time, and a
 * worker that dies has its job retried by another once its lease ends.
 */
import { hostname } from 'node:os';
import type { Logger } from '../logger.js';
import { openPgDatabase, type PgDatabase } from '../store/pg/pg-database.js';
import { openJobQueue, type JobQueue } from './job-queue.js';
import { startScheduler } from './scheduler.js';
import { runTenantCycle } from './tenant-cycle.js';
import { runTenantJob } from './tenant-job.js';

export interface WorkerOptions {
  connectionString: string;
  masterKey: Buffer;
  logger: Logger;
  /** Tenant jobs run at once in this process. */
  concurrency: number;
  /** How often this worker's scheduler tick runs. */
  tickMs?: number;
  /** The queue's lease: a job running longer counts as lost and is retried by any worker. */
  leaseSeconds?: number;
  retryDelaySeconds?: number;
  maintenanceSeconds?: number;
  pollingSeconds?: number;
  heartbeatMs?: number;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
}

export interface RunningWorker {
  readonly db: PgDatabase;
  readonly queue: JobQueue;
  /** Stops ticking and taking jobs; running cycles stop after their current page. */
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  // One connection per running cycle's transaction, one for the tick and the job bookkeeping, one spare.
  const db = await openPgDatabase({ connectionString: options.connectionString, maxConnections: options.concurrency + 2 });
  // A worker that cannot start gives its pool back, so that the process ends with its error.
  const queue = await openJobQueue({
    connectionString: options.connectionString,
    pool: db.pool,
    ...(options.leaseSeconds ? { leaseSeconds: options.leaseSeconds } : {}),
    ...(options.retryDelaySeconds !== undefined ? { retryDelaySeconds: options.retryDelaySeconds } : {}),
    ...(options.maintenanceSeconds ? { maintenanceSeconds: options.maintenanceSeconds } : {}),
    ...(options.pollingSeconds ? { pollingSeconds: options.pollingSeconds } : {}),
    onError: (error) => logger.warn({ err: error }, 'the job queue reported an error; it retries on its next interval'),
  }).catch(async (error: unknown) => {
    await db.close().catch(() => undefined);
    throw error;
  });
  const stopping = new AbortController();
  const me = `worker@${hostname()}:${process.pid}`;
  await queue.work(options.concurrency, async (job, jobId) => {
    const log = logger.child({ tenant: job.tenantId, job: jobId });
    log.info({ reason: job.reason }, 'tenant job started');
    const cycles = await runTenantJob(db.pool, job.tenantId, {
      now,
      runCycle: async (tenantId) => {
        const report = await runTenantCycle({ db, tenantId, masterKey: options.masterKey, logger, now, owner: `${me}/${jobId}`, signal: stopping.signal, ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}), ...(options.env ? { env: options.env } : {}) });
        log.info({ outcome: report.outcome, counts: report.counts }, 'tenant cycle finished');
      },
    });
    log.info({ cycles }, 'tenant job finished');
  });
  const scheduler = startScheduler(db.pool, queue, {
    everyMs: options.tickMs ?? 30_000,
    now,
    onTick: (tick) => {
      if (tick.woken.length > 0 || tick.due.length > 0) logger.debug({ tick }, 'scheduler tick');
    },
    onError: (error) => logger.warn({ err: error }, 'scheduler tick failed; the next tick tries again'),
  });
  logger.info({ worker: me, concurrency: options.concurrency }, 'worker started');
  return {
    db,
    queue,
    async stop() {
      stopping.abort('worker stopping');
      await scheduler.stop();
      await queue.stop();
      await db.close();
    },
  };
}
