/**
 * `cosell worker [--concurrency N]`: one worker of a multi-tenant install (docs/scale-out.md). It runs
 * until SIGTERM or Ctrl-C; the first asks running cycles to stop after their current page, a second ends
 * the process at once (the queue then retries its jobs after their lease, on any worker).
 */
import type { Command } from 'commander';
import { resolveSecret } from '../../../config/secrets.js';
import { ConfigError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { command } from '../output.js';
import { untilStopSignal } from '../stop-signals.js';
import { databaseOption } from './tenants.js';

interface WorkerFlags {
  database: string;
  concurrency: string;
  tickSeconds: string;
  leaseSeconds: string;
  metricsPort?: string;
  maintenanceSeconds: string;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(flag, `"${value}" is not a whole number of at least 1`);
  return n;
}

function portOf(value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new ConfigError('--metrics-port', `"${value}" is not a TCP port (0–65535; 0 picks a free one)`);
  return port;
}

export function registerWorkerCommand(program: Command): void {
  databaseOption(program.command('worker'))
    .description('take tenant sync jobs from the PostgreSQL job queue, and run the schedule (multi-tenant)')
    .option('--concurrency <n>', 'tenant jobs run at once by this worker', '2')
    .option('--tick-seconds <s>', 'how often this worker checks the tenants\' schedules', '30')
    .option('--lease-seconds <s>', 'a job running longer counts as lost and is retried by another worker', '900')
    .option('--metrics-port <n>', "serve this worker's run metrics by tenant at http://127.0.0.1:<n>/metrics")
    .option('--maintenance-seconds <s>', 'how often the queue looks for jobs whose lease ended (a lost job waits up to lease + this)', '30')
    .action(
      command(async (flags: WorkerFlags) => {
        // Loaded when the command runs: `cosell --help` loads no logger, store or engine.
        const [{ startWorker }, { masterKeyFromEnv }, { createLogger }] = await Promise.all([import('../../worker/worker.js'), import('../../tenants/tenant-keys.js'), import('../../logger.js')]);
        const connectionString = await resolveSecret(flags.database, '--database');
        const logger = createLogger({ level: process.env.COSELL_LOG_LEVEL ?? 'info' });
        const worker = await startWorker({
          connectionString,
          masterKey: masterKeyFromEnv(),
          logger,
          concurrency: positive('--concurrency', flags.concurrency),
          tickMs: positive('--tick-seconds', flags.tickSeconds) * 1000,
          leaseSeconds: positive('--lease-seconds', flags.leaseSeconds),
          ...(flags.metricsPort !== undefined ? { metricsPort: portOf(flags.metricsPort) } : {}),
          maintenanceSeconds: positive('--maintenance-seconds', flags.maintenanceSeconds),
        });
        // Listening for the stop before saying it takes jobs: a SIGTERM sent on that line came before the
        // listener and ended the process by Node's default, without stopping the worker cleanly.
        const stopped = untilStopSignal(() => worker.stop());
        if (worker.metricsUrl) console.error(`cosell worker: metrics at ${worker.metricsUrl}`);
        console.error(`cosell worker: taking tenant jobs (concurrency ${flags.concurrency}); Ctrl-C stops after the current pages.`);
        await stopped;
        return EXIT.ok;
      }),
    );
}
