/**
 * The state store: the interface and its two implementations. `openSqliteStore(file)` for real runs;
 * `openMemoryStore()` for `--dry-run` (nothing persists) and unit tests.
 */
export type {
  Conflict, ConflictResolution, CreateIntent, Link, LinkState, ParkedRecord, RunRecord, Side, StateStore, StoreTransaction, StoredCursor,
} from './state-store.js';
export { openMemoryStore } from './memory-store.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { MIGRATIONS, type Migration } from './sqlite-schema.js';
