/**
 * `cosell run` started on a full disk. The state database cannot even be opened then (SQLite cannot grow its
 * `-shm` file), and the command used to end with exit 8: the deals stayed unsynced after someone freed
 * space, unless a supervisor restarted the process. A disk that fills between turns was already waited
 * out (`clearsByItself`); the start now waits the same way: the problem is told once, the store is tried
 * again at every wait, and SIGTERM or Ctrl-C ends the wait cleanly. Anything else still ends the command.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { clearsByItself } from '../store/store-problems.js';
import { reportError } from './output.js';

/** Sleeps `ms`, or less if `stop` fires. The timer keeps the process alive: it is the reason it is alive. */
export function sleepUnlessStopped(ms: number, stop: AbortSignal): Promise<void> {
  // Node's own timer ends early with an AbortError when `stop` fires (at once if it already has): that is the wake-up.
  return delay(ms, undefined, { signal: stop }).catch(() => undefined);
}

/**
 * `open()`, tried again every `waitMs` while it fails with a store problem that clears by itself; undefined
 * when `stop` fires while waiting. The caller listens for the stop from its own start (held-stop.ts): a
 * listener of its own here, checked only between tries, let a signal during a normal open go unheeded.
 */
export async function openWhenStoreHasRoom<T>(open: () => Promise<T>, waitMs: number, stop: AbortSignal): Promise<T | undefined> {
  let told = false;
  for (;;) {
    try {
      return await open();
    } catch (error) {
      if (!clearsByItself((error as { code?: string } | null)?.code)) throw error;
      if (!told) {
        reportError(error);
        console.error(`Waiting for room on the disk: trying again every ${waitMs / 60_000} minute(s). Stop with Ctrl-C or SIGTERM.`);
        told = true;
      }
      await sleepUnlessStopped(waitMs, stop);
      if (stop.aborted) return undefined;
    }
  }
}
