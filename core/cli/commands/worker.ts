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
import { onStopSignals } from '../stop-signals.js';
import { databaseOption } from './tenants.js';

interface WorkerFlags {
  database: string;
  concurrency: string;
  tickSeconds: string;
  leaseSeconds: string;
  maintenanceSeconds: string;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(flag, `"${value}" is not a whole number of at least 1`);
  return n;
}

export function registerWorkerCommand(program: Command): void {
  databaseOption(program.command('worker'))
    .description('take tenant sync jobs from the PostgreSQL job queue, and run the schedule (multi-tenant)')
    .option('--concurrency <n>', 'tenant jobs run at once by this worker', '2')
    .option('--tick-seconds <s>', 'how often this worker checks the tenants\' schedules', '30')
    .option('--lease-seconds <s>', 'a job running longer counts as lost and is retried by another worker', '900')
    .option('--maintenance-seconds <s>', 'how often the queue looks for jobs whose lease ended (a lost job waits up to lease + this)', '30')
    .action(
      command(async (flags: WorkerFlags) => {
        // Loaded when a worker starts, not for `cosell --help` (test/cli/startup.test.ts).
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
          maintenanceSeconds: positive('--maintenance-seconds', flags.maintenanceSeconds),
        });
        console.error(`cosell worker: taking tenant jobs (concurrency ${flags.concurrency}); Ctrl-C stops after the current pages.`);
        await new Promise<void>((resolve) => {
          const off = onStopSignals({
            graceful: () => {
              off();
              void worker.stop().then(resolve, resolve);
            },
          });
        });
        return EXIT.ok;
      }),
    );
}
