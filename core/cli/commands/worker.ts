/**
 * `cosell worker [--concurrency N]`: one worker of a multi-tenant install (docs/scale-out.md). It runs
 * until SIGTERM or Ctrl-C; the first asks running cycles to stop after their current page, a second ends
 * the process at once (the queue then retries its jobs after their lease, on any worker).
 */
import type { Command } from 'commander';
import { resolveSecret } from '../../../config/secrets.js';
import { ConfigError } from '../../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { startupStop, type StartupStop } from '../held-stop.js';
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
        // Listening from the first line, before anything is awaited: a stop while the parts load or the
        // database and the queue open (no job taken yet) ends the command with 0 (held-stop.ts).
        const startup = startupStop();
        try {
          return await runWorker(flags, startup);
        } finally {
          startup.end();
        }
      }),
    );
}

/** The worker until its stop; `startup` listens for a stop until the worker's own handler takes over. */
async function runWorker(flags: WorkerFlags, startup: StartupStop): Promise<ExitCode> {
  // Loaded when the command runs: `cosell --help` loads no logger, store or engine.
  const [{ startWorker }, { masterKeyFromEnv }, { createLogger }] = await Promise.all([import('../../worker/worker.js'), import('../../tenants/tenant-keys.js'), import('../../logger.js')]);
  const connectionString = await resolveSecret(flags.database, '--database');
  const logger = createLogger({ level: process.env.COSELL_LOG_LEVEL ?? 'info' });
  const stoppedBeforeStart = () => {
    console.error(`cosell worker: ${startup.asked() ?? 'a stop'}: stopped before taking any job.`);
    return EXIT.ok;
  };
  if (startup.signal.aborted) return stoppedBeforeStart();
  const worker = await startWorker({
    connectionString,
    masterKey: masterKeyFromEnv(),
    logger,
    concurrency: positive('--concurrency', flags.concurrency),
    tickMs: positive('--tick-seconds', flags.tickSeconds) * 1000,
    leaseSeconds: positive('--lease-seconds', flags.leaseSeconds),
    ...(flags.metricsPort !== undefined ? { metricsPort: portOf(flags.metricsPort) } : {}),
    maintenanceSeconds: positive('--maintenance-seconds', flags.maintenanceSeconds),
    signal: startup.signal,
  });
  if (!worker) return stoppedBeforeStart();
  // Listening for the stop before saying it takes jobs: a SIGTERM sent on that line came before the
  // listener and ended the process by Node's default, without stopping the worker cleanly. Handed over
  // with no await between: a stop asked as the worker started stops it now (after the current pages).
  const asked = startup.asked();
  const stopped = untilStopSignal(() => worker.stop(), asked);
  startup.end();
  if (worker.metricsUrl) console.error(`cosell worker: metrics at ${worker.metricsUrl}`);
  if (!asked) console.error(`cosell worker: taking tenant jobs (concurrency ${flags.concurrency}); Ctrl-C stops after the current pages.`);
  await stopped;
  return EXIT.ok;
}
