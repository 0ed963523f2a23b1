/**
 * `cosell sync --once [--dry-run]` and `cosell run`: one run, or the timer. Never two runs at once: the
 * store's lock is taken first, across processes. `cosell run` stops cleanly on SIGTERM/SIGINT: the run in
 * progress finishes its page and commits, then the process exits.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { runSyncOnce, type RunReport } from '../../engine/sync-engine.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { command } from '../output.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { printDryRunPlan } from './dry-run-plan.js';

const LOCK_STALE_MS = 15 * 60_000;

function printReport(report: RunReport): void {
  const c = report.counts;
  const n = (k: string) => c[k] ?? 0;
  console.log(
    `${report.outcome.toUpperCase()} ${report.startedAt}: read ${n('pcRead')} referrals and ${n('crmRead')} opportunities; ` +
      `created ${n('pcCreated')} referrals and ${n('crmCreated')} opportunities; updated ${n('pcUpdated')} referrals and ${n('crmUpdated')} opportunities; ` +
      `${n('parked')} parked, ${n('conflicts')} conflicts, ${n('held')} held, ${n('orphaned')} orphaned; ${report.partnerCenterCalls} Partner Center calls.`,
  );
  if (report.message) console.log(report.message);
}

function outcomeCode(report: RunReport): ExitCode {
  if (report.outcome === 'ok') return EXIT.ok;
  if (report.outcome === 'partial' || report.outcome === 'paused') return EXIT.partial;
  return /cosell login/.test(report.message ?? '') ? EXIT.auth : EXIT.failed;
}

async function lockedRun(runtime: Runtime, owner: string, dryRun: boolean, stop?: AbortSignal): Promise<RunReport | undefined> {
  if (!runtime.store.acquireLock(owner, Date.now(), LOCK_STALE_MS)) return undefined;
  // A long run keeps its lock alive; if another process took it over (we were stalled past the stale
  // time), this run stops after its current page rather than syncing alongside the new holder.
  const lost = new AbortController();
  const heartbeat = setInterval(() => {
    try {
      runtime.store.renewLock(owner, Date.now());
    } catch {
      lost.abort('the runner lock was taken over');
    }
  }, LOCK_STALE_MS / 3);
  heartbeat.unref();
  const signal = stop ? AbortSignal.any([stop, lost.signal]) : lost.signal;
  try {
    return await runSyncOnce(runtime.engineDeps(), {
      signal,
      policy: runtime.config.sync.conflictPolicy,
      holdWonHours: runtime.config.sync.holdWonHours,
      ...(runtime.config.sync.defaultLocation ? { defaultLocation: runtime.config.sync.defaultLocation } : {}),
      ...(runtime.config.sync.partnerCenterCallBudget ? { partnerCenterCallBudget: runtime.config.sync.partnerCenterCallBudget } : {}),
      dryRun,
    });
  } finally {
    clearInterval(heartbeat);
    runtime.store.releaseLock(owner);
  }
}

export function registerSyncCommands(program: Command): void {
  const configFile = () => program.opts<{ config: string }>().config;

  program
    .command('sync')
    .description('run one sync between the CRM and Partner Center')
    .option('--once', 'run once and exit (the default for this command)')
    .option('--dry-run', 'show what would change, record by record, write nothing')
    .option('--json', 'with --dry-run: the planned writes as JSON')
    .action(
      command(async (opts: { dryRun?: boolean; json?: boolean }) => {
        const runtime = await openRuntime({ configFile: configFile() });
        try {
          const report = await lockedRun(runtime, `sync@${hostname()}:${process.pid}`, opts.dryRun === true);
          if (!report) {
            console.error('cosell: another sync is running (cosell status shows it); try again when it ends.');
            return EXIT.locked;
          }
          if (opts.dryRun) printDryRunPlan(report, opts.json === true);
          else printReport(report);
          return outcomeCode(report);
        } finally {
          runtime.close();
        }
      }),
    );

  program
    .command('run')
    .description('sync on a timer until stopped (SIGTERM or Ctrl-C stops cleanly)')
    .option('--interval <minutes>', 'minutes between runs (default from the config, 5)')
    .action(
      command(async (opts: { interval?: string }) => {
        const runtime = await openRuntime({ configFile: configFile() });
        const minutes = opts.interval ? Number(opts.interval) : runtime.config.sync.intervalMinutes;
        const owner = `run@${hostname()}:${process.pid}`;
        let stopping = false;
        let wake: (() => void) | undefined;
        const stopRequest = new AbortController();
        const stop = () => {
          stopping = true;
          stopRequest.abort('SIGTERM');
          wake?.();
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        console.log(`Syncing every ${minutes} minute(s). Stop with Ctrl-C or SIGTERM.`);
        let last: ExitCode = EXIT.ok;
        try {
          while (!stopping) {
            const report = await lockedRun(runtime, owner, false, stopRequest.signal);
            if (report) {
              printReport(report);
              last = outcomeCode(report);
            } else {
              console.log('Another sync holds the lock; waiting for the next turn.');
            }
            if (stopping) break;
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, minutes * 60_000).unref();
            });
          }
        } finally {
          runtime.close();
        }
        console.log('Stopped.');
        return last === EXIT.auth ? EXIT.auth : EXIT.ok;
      }),
    );
}
