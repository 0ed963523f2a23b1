/**
 * One sync run under the single-runner lock, as `sync --once` and every turn of `cosell run` do it:
 * take the lock (healing it if its holder is gone), mark runs a dead process left unfinished as failed,
 * keep the heartbeat going, run, and always give the lock back.
 */
import type { SyncProgress } from '../engine/context.js';
import { runSyncOnce, type RunReport } from '../engine/sync-engine.js';
import { notifyAfterRun } from '../notify/after-run.js';
import type { LockHolder } from '../store/index.js';
import { isUnusableStoreCode } from '../store/store-problems.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { engineOptionsFor, type Runtime } from './runtime.js';
import { holdRun, takeRunnerLock } from './runner-lock.js';
import { asyncStateStore } from '../store/async-over-sync.js';

export type LockedRunResult = { report: RunReport } | { lockedBy: LockHolder };

export interface LockedRunOptions {
  dryRun?: boolean;
  /** Stops the run after its current page (SIGTERM, Ctrl-C). */
  stop?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

const INTERRUPTED =
  'Interrupted: the process running it ended before it finished (killed, crashed or the machine stopped). The next run resumed from the last committed page.';

export async function lockedRun(runtime: Runtime, owner: string, options: LockedRunOptions = {}): Promise<LockedRunResult> {
  const { logger } = runtime;
  const store = asyncStateStore(runtime.store);
  const taken = await takeRunnerLock(store, owner, logger);
  if (!taken.taken) return { lockedBy: taken.holder };
  // One stop for the run: the caller's (SIGTERM, Ctrl-C; `cosell run` keeps one for all its turns) or the lost lock.
  const held = holdRun(store, owner, options.stop);
  try {
    // Only the lock holder runs, so any run still open now belongs to a process that is gone.
    const failed = await store.failUnfinishedRuns(new Date().toISOString(), INTERRUPTED);
    if (failed > 0) logger.warn({ runs: failed }, `Marked ${failed} run(s) left unfinished by a process that ended as failed.`);
    // A run of its own for Partner Center, as each poll of `cosell serve` is: a new correlation ID and a fresh
    // request budget. `cosell run` keeps one client for all its turns, and their requests added up otherwise.
    runtime.partnerCenterClient.beginRun();
    const report = await runSyncOnce(runtime.engineDeps(), {
      ...engineOptionsFor(runtime.config),
      signal: held.signal,
      dryRun: options.dryRun === true,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await notifyAfterRun(runtime, report);
    return { report };
  } finally {
    held.end();
    await store.releaseLock(owner);
  }
}

/** The exit code a finished run stands for (the README's table). */
export function exitCodeOfRun(report: RunReport): ExitCode {
  if (report.outcome === 'partial' || report.outcome === 'paused') return EXIT.partial;
  if (report.outcome === 'failed') {
    if (report.errorCode === 'auth_failed') return EXIT.auth;
    if (report.errorCode === 'config_invalid' || report.errorCode === 'credential_origin' || report.errorCode === 'address_refused') return EXIT.config;
    if (report.errorCode === 'setup_missing') return EXIT.notReady;
    return isUnusableStoreCode(report.errorCode) ? EXIT.stateStore : EXIT.failed;
  }
  // Parked by this run or an earlier one, or a conflict waiting for an admin: a scheduler keeps seeing 7
  // until every parked record has synced and every conflict is settled (exit 0 hid open conflicts from cron).
  const waiting = (report.parkedTotal ?? report.counts.parked ?? 0) + (report.openConflictsTotal ?? 0);
  return waiting > 0 ? EXIT.parked : EXIT.ok;
}
