/**
 * How a command holding the runner lock (`sync`, `run`, `serve`) ends on SIGTERM or Ctrl-C: first a clean
 * stop after the current page; a second signal at once; and, when the clean stop takes longer than
 * `sync.stopGraceSeconds`, a stop without the current page (stop-signals.ts). Either forced way releases
 * the lock before the process ends, so the next run starts at once instead of waiting for the lock to age.
 */
import type { Runtime } from './runtime.js';
import type { StopHandlers } from './stop-signals.js';

/**
 * The stop handlers of a command that holds (or is about to take) the runner lock as `owner`. `current`:
 * the runtime in use when a signal comes (`cosell run` opens a new one when its config is edited).
 */
export function runnerStopHandlers(current: () => Runtime, owner: string, graceful: StopHandlers['graceful'], exitCodeAfterGrace: number): StopHandlers {
  const releaseAndClose = () => {
    current().store.releaseLock(owner);
    current().close();
  };
  const graceSeconds = () => current().config.sync.stopGraceSeconds;
  return {
    graceful,
    onForce: releaseAndClose,
    grace: {
      ms: () => graceSeconds() * 1000,
      onOver: (signal) => {
        const message = `Stopped: ${signal} asked for a stop after the current page, and the page did not finish within ${graceSeconds()} s (sync.stopGraceSeconds). It was left uncommitted; the next run redoes it.`;
        console.error(`cosell: ${message}`);
        const { store } = current();
        try {
          // Only the lock holder runs: a run still open is this process's own, never another's.
          if (store.lockHolder()?.owner === owner) store.failUnfinishedRuns(new Date().toISOString(), message);
        } finally {
          releaseAndClose();
        }
        return exitCodeAfterGrace;
      },
    },
  };
}
