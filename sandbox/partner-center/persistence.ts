/**
 * Keeps the sandbox's data between runs when a `persistFile` is given: loaded at start, written a
 * moment after each burst of writes and on close, atomically (temporary file, then rename), so that a
 * demo stopped mid-write never leaves half a file.
 */
import { readJsonFile, writeJsonAtomic } from '../common/json-file.js';
import type { Registration } from './webhooks/dispatcher.js';
import type { StoreSnapshot } from './store.js';

export interface PersistedState {
  store: StoreSnapshot;
  registrations: [string, Registration][];
}

export function loadState(file: string): PersistedState | undefined {
  const parsed = readJsonFile(file) as PersistedState | undefined;
  if (parsed === undefined) return undefined;
  if (parsed?.store?.version !== 1) throw new Error(`${file} is not a Partner Center sandbox state file (version 1).`);
  return parsed;
}

export function saveState(file: string, state: PersistedState): void {
  writeJsonAtomic(file, state);
}

/** Calls `save` once, `delayMs` after the last of a burst of `schedule()` calls. */
export function debounced(save: () => void, delayMs: number): { schedule(): void; flush(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    schedule() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        save();
      }, delayMs);
      timer.unref();
    },
    flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      save();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
