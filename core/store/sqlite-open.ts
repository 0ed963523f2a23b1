/**
 * Opening the embedded state database: creating it owner-only, WAL journal, pragmas, migrations, and
 * every failure explained with the file and the fix (store-problems.ts). The store's operations on the
 * open database are in sqlite-store.ts.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { secureStateFiles } from './file-permissions.js';
import { walUnavailableError } from './sqlite-errors.js';
import { MIGRATIONS } from './sqlite-schema.js';
import { applyMigrations, type SchemaUpgrade } from './sqlite-migrate.js';
import { SqliteNoticeLog } from './sqlite-notices.js';
import { SqlitePendingReferrals } from './sqlite-pending-referrals.js';
import { SqliteStateStore } from './sqlite-store.js';
import { describeUpgrade, keepCopyBeforeUpgrade } from './sqlite-upgrade.js';
import { tellUpgrade } from './upgrade-notice.js';
import type { StateStore } from './state-store.js';
import { explainingFailures, explainStoreFailure, missingStoreError, STORE_BUSY_TIMEOUT_MS } from './store-problems.js';

export interface SqliteStoreOptions {
  /** How long a statement waits for another process's write lock before failing. Default 5 s. */
  busyTimeoutMs?: number;
  /** Refuse to create a new file (commands that only read state, such as `status`). */
  mustExist?: boolean;
}


/**
 * Opens (creating if needed, with its parent folders) the state database at `file` and migrates it.
 * `:memory:` gives a private in-memory SQLite database, which has no WAL.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): StateStore {
  const inMemory = file === ':memory:';
  if (inMemory) return configure(new Database(file), file, () => undefined);
  if (options.mustExist && !fs.existsSync(file)) throw missingStoreError(file);
  try {
    // Folder 0700 and database 0600 before SQLite creates anything, so -wal and -shm inherit the mode.
    secureStateFiles(file);
    const db = new Database(file, { timeout: options.busyTimeoutMs ?? STORE_BUSY_TIMEOUT_MS, fileMustExist: options.mustExist === true });
    const store = configure(db, file, () => {
      if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw walUnavailableError(file);
    }, true);
    return explainingFailures(store, file);
  } catch (error) {
    throw explainStoreFailure(error, file) ?? error;
  }
}

/**
 * A private in-memory copy of the state database at `file` (empty when there is none yet), for
 * `--dry-run`: the run sees the real links, intents and cursors, and nothing it writes reaches the file.
 * The copy is taken through SQLite, so it includes commits still in the write-ahead log.
 */
export function openSqliteSnapshot(file: string, options: SqliteStoreOptions = {}): StateStore {
  if (!fs.existsSync(file)) return openSqliteStore(':memory:', options);
  const source = new Database(file, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs ?? STORE_BUSY_TIMEOUT_MS });
  let image: Buffer;
  try {
    image = source.serialize();
  } finally {
    source.close();
  }
  // Bytes 18–19 of the header are the file format versions: 2 = WAL, which an in-memory database cannot
  // use (it fails to open). 1 = rollback journal; the pages themselves are the same.
  image[18] = 1;
  image[19] = 1;
  return configure(new Database(image), file, () => undefined);
}

function configure(db: Database.Database, file: string, setJournal: () => void, onDisk = false): StateStore {
  try {
    setJournal();
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const copy = onDisk ? keepCopyBeforeUpgrade(db, file) : undefined;
    // A dry run's in-memory copy migrates too, but the file itself is not upgraded: nothing to tell.
    const told = onDisk ? (upgrade: SchemaUpgrade) => tellUpgrade(describeUpgrade(file, upgrade, copy)) : undefined;
    const version = applyMigrations(db, file, MIGRATIONS, undefined, told);
    // The notice log (schema version 6) and the webhook queue's rows (9) sit beside the store's own operations, on the same database.
    return Object.assign(new SqliteStateStore(db, version), { notices: new SqliteNoticeLog(db), pendingReferrals: new SqlitePendingReferrals(db) });
  } catch (error) {
    db.close();
    throw error;
  }
}

