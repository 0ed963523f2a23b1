/**
 * The state store: the interface and its two implementations. `openSqliteStore(file)` for real runs;
 * `openSqliteSnapshot(file)` for a `--dry-run` that starts from the real state but writes nothing back;
 * `openMemoryStore()` for unit tests and a dry run from empty state.
 */
export type {
  Conflict, ConflictResolution, CreateIntent, Link, LinkState, LockHolder, LockIdentity, ParkedRecord, RunRecord, Side, StateStore, StoreTransaction, StoredCursor,
} from './state-store.js';
export { openMemoryStore } from './memory-store.js';
export { openSqliteSnapshot, openSqliteStore, type SqliteStoreOptions } from './sqlite-open.js';
export { MIGRATIONS, type Migration } from './sqlite-schema.js';
