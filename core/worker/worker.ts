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
import { createServer } from 'node:http';
import { CosellMetrics, type RunFigures } from '../serve/metrics.js';
import { runCsvJob } from './csv-jobs.js';
import { openJobQueue, type JobQueue } from './job-queue.js';
import { startScheduler } from './scheduler.js';
import { runTenantCycle, runTenantTargetedSync } from './tenant-cycle.js';
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
  /** Serve this worker's run metrics (by tenant) at `/metrics` on this port (0: any free one). */
  metricsPort?: number;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
  /**
   * A stop asked while the worker starts (`cosell worker` given SIGTERM as the database opens): what was
   * opened is closed again before any job is taken, and `startWorker` resolves to undefined.
   */
  signal?: AbortSignal;
}

export interface RunningWorker {
  readonly db: PgDatabase;
  readonly queue: JobQueue;
  readonly metrics: CosellMetrics;
  /** Where `/metrics` answers, when a metrics port was given. */
  readonly metricsUrl?: string;
  /** Stops ticking and taking jobs; running cycles stop after their current page. */
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions & { signal: AbortSignal }): Promise<RunningWorker | undefined>;
export async function startWorker(options: WorkerOptions): Promise<RunningWorker>;
export async function startWorker(options: WorkerOptions): Promise<RunningWorker | undefined> {
  const { logger } = options;
  const stopAsked = () => options.signal?.aborted === true;
  const now = options.now ?? (() => new Date());
  // One connection per running cycle's transaction, one for the tick and the job bookkeeping, one spare.
  const db = await openPgDatabase({ connectionString: options.connectionString, maxConnections: options.concurrency + 2 });
  // Each step that was started finishes (a migration, pg-boss's schema: each in its own transaction); none after it.
  if (stopAsked()) {
    await db.close();
    return undefined;
  }
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
  if (stopAsked()) {
    // Nothing taken yet: pg-boss's timers and pool end, no lease is held.
    await queue.stop();
    await db.close();
    return undefined;
  }
  const stopping = new AbortController();
  // Run counters by tenant; the state gauges (parked, conflicts) are the database's: `cosell serve --database` shows them.
  const metrics = new CosellMetrics({ gauges: () => [] });
  const metricsServer = options.metricsPort !== undefined ? await serveMetrics(metrics, options.metricsPort) : undefined;
  const me = `worker@${hostname()}:${process.pid}`;
  let attempts = 0;
  await queue.work(options.concurrency, async (job, jobId) => {
    const log = logger.child({ tenant: job.tenantId, job: jobId });
    log.info({ reason: job.reason }, 'tenant job started');
    const owner = attemptOwner(me, jobId, (attempts += 1));
    const input = (tenantId: string) => ({
      db, tenantId, masterKey: options.masterKey, logger, now, owner, signal: stopping.signal,
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}), ...(options.env ? { env: options.env } : {}),
      onSynced: (kind: 'poll' | 'targeted', figures: RunFigures, seconds: number, crmService: string) => metrics.recordRun(tenantId, kind, figures, seconds, crmService),
    });
    const cycles = await runTenantJob(db.pool, job.tenantId, {
      now,
      runCycle: async (tenantId) => {
        const report = await runTenantCycle(input(tenantId));
        log.info({ outcome: report.outcome, counts: report.counts }, 'tenant cycle finished');
      },
      runTargeted: async (tenantId, referralIds) => {
        const report = await runTenantTargetedSync(input(tenantId), referralIds);
        log.info({ outcome: report.outcome, referrals: referralIds.length, notFound: report.notFound.length }, 'targeted sync finished');
      },
    });
    log.info({ cycles }, 'tenant job finished');
  });
  await queue.workCsv((csvJobId) => runCsvJob({ db, masterKey: options.masterKey, logger, now, ...(options.env ? { env: options.env } : {}) }, csvJobId));
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
    metrics,
    ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
    async stop() {
      stopping.abort('worker stopping');
      await metricsServer?.close();
      await scheduler.stop();
      await queue.stop();
      await db.close();
    },
  };
}

/**
 * The runner lock's owner for one attempt at a job: worker, process, job, and this process's count of
 * attempts. pg-boss 10 has no heartbeat: a job that outruns its lease (a slow cycle on a loaded machine) is
 * handed out again, also to the worker still running it. Named `worker/job` alone, both attempts were one
 * owner, and the lock (taken again by its own owner) let the second run the tenant's cycle beside the
 * first, marking the live run "Interrupted". Each attempt its own owner: the second finds the lock held
 * and is retried later (test/worker/redelivered-job.pg.test.ts). Pure.
 */
export function attemptOwner(worker: string, jobId: string, attempt: number): string {
  return `${worker}/${jobId}#${attempt}`;
}

/** A bare `/metrics` endpoint for the worker (Prometheus scrapes each worker; counters add up by tenant). */
async function serveMetrics(metrics: CosellMetrics, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metrics.text().then(({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body), () => response.writeHead(500).end());
  });
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${bound}/metrics`, close: () => new Promise<void>((closed) => server.close(() => closed())) };
}
