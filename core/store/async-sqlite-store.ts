/**
 * The asynchronous store for single installs: the embedded SQLite store (sqlite-store.ts) behind the
 * Promise-returning interface (async-over-sync.ts).
 */
import type { AsyncStateStore } from './async-state-store.js';
import { asyncStateStore } from './async-over-sync.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-open.js';

export { asyncStateStore, snapshotFrom } from './async-over-sync.js';

/** Opens (creating and migrating) the SQLite state database at `file` behind the asynchronous interface. */
export function openAsyncSqliteStore(file: string, options: SqliteStoreOptions = {}): AsyncStateStore {
  return asyncStateStore(openSqliteStore(file, options));
}
