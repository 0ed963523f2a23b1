/**
 * How a command holding the runner lock (`sync`, `run`, `serve`) ends on SIGTERM or Ctrl-C: first a clean
 * stop after the current page; a second signal at once; and, when the clean stop takes longer than
 * `sync.stopGraceSeconds`, a stop without the current page (stop-signals.ts). Either forced way releases
 * the lock before the process ends, so the next run starts at once instead of waiting for the lock to age.
 */
import type { Runtime } from './runtime.js';
import type { StopHandlers } from './stop-signals.js';

/** The stop handlers of a command that holds (or is about to take) the runner lock as `owner`. */
export function runnerStopHandlers(runtime: Runtime, owner: string, graceful: StopHandlers['graceful'], exitCodeAfterGrace: number): StopHandlers {
  const releaseAndClose = () => {
    runtime.store.releaseLock(owner);
    runtime.close();
  };
  const graceSeconds = runtime.config.sync.stopGraceSeconds;
  return {
    graceful,
    onForce: releaseAndClose,
    grace: {
      ms: graceSeconds * 1000,
      onOver: (signal) => {
        const message = `Stopped: ${signal} asked for a stop after the current page, and the page did not finish within ${graceSeconds} s (sync.stopGraceSeconds). It was left uncommitted; the next run redoes it.`;
        console.error(`cosell: ${message}`);
        try {
          // Only the lock holder runs: a run still open is this process's own, never another's.
          if (runtime.store.lockHolder()?.owner === owner) runtime.store.failUnfinishedRuns(new Date().toISOString(), message);
        } finally {
          releaseAndClose();
        }
        return exitCodeAfterGrace;
      },
    },
  };
}
