/**
 * Looking after the state database file itself: a consistent copy while a sync may be running (SQLite's
 * online backup), an integrity check, and moving a damaged file aside so a fresh one can take its place.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../errors.js';
import { PRIVATE_FILE_MODE } from './file-permissions.js';
import { appliedVersion } from './sqlite-migrate.js';
import { explainStoreFailure, missingStoreError, StateStoreError, STORE_BUSY_TIMEOUT_MS } from './store-problems.js';

/** The files SQLite keeps for one database in WAL mode. */
const COMPANIONS = ['', '-wal', '-shm'] as const;

function openExisting(file: string): Database.Database {
  if (!fs.existsSync(file)) throw missingStoreError(file);
  try {
    return new Database(file, { fileMustExist: true, timeout: STORE_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw explainStoreFailure(error, file) ?? error;
  }
}

export interface IntegrityReport {
  file: string;
  ok: boolean;
  /** SQLite's findings, `['ok']` when there are none. */
  findings: string[];
  schemaVersion: number;
  bytes: number;
}

/** `PRAGMA integrity_check` reads every page: slow on a big file, so only on request. */
export function checkSqliteStore(file: string): IntegrityReport {
  const db = openExisting(file);
  try {
    const findings = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const messages = findings.map((row) => row.integrity_check);
    return { file: path.resolve(file), ok: messages.length === 1 && messages[0] === 'ok', findings: messages, schemaVersion: appliedVersion(db), bytes: fs.statSync(file).size };
  } catch (error) {
    const explained = explainStoreFailure(error, file);
    if (explained?.code === 'store.damaged') return { file: path.resolve(file), ok: false, findings: [(error as Error).message], schemaVersion: 0, bytes: fs.statSync(file).size };
    throw explained ?? error;
  } finally {
    db.close();
  }
}

/**
 * The backup's file, created empty and owner-only before SQLite copies a page into it (SQLite gives its
 * journal the same mode), and only if nothing is there. The mode used to be set after the copy, which left
 * every local user a window to open it; the exists-check before it could be raced by a file put there meanwhile.
 */
function createBackupFile(destination: string): void {
  try {
    fs.closeSync(fs.openSync(destination, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE));
  } catch (error) {
    const where = path.resolve(destination);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ConfigError('FILE', `${where} already exists; choose a new file name (a backup never overwrites)`);
    throw new ConfigError('FILE', `cannot write ${where}: ${(error as Error).message}`);
  }
}

/**
 * Copies the database to `destination` with SQLite's online backup: a consistent snapshot that includes
 * commits still in the write-ahead log, safe while a sync runs. The copy is readable by its owner only
 * (it holds customer contact data) and is checked before this returns.
 */
export async function backupSqliteStore(file: string, destination: string): Promise<IntegrityReport> {
  const db = openExisting(file);
  try {
    createBackupFile(destination);
    await db.backup(destination).catch((error: unknown) => {
      // No half-written copy left behind under the name the admin gave.
      fs.rmSync(destination, { force: true });
      throw explainStoreFailure(error, file) ?? error;
    });
  } finally {
    db.close();
  }
  const copy = checkSqliteStore(destination);
  if (!copy.ok) throw new StateStoreError('store.backup_damaged', `The backup ${copy.file} failed its integrity check: ${copy.findings.join('; ')}.`, destination);
  return copy;
}

/**
 * Moves the database and its WAL companions aside (renamed with `suffix`), so that the next open starts
 * a new file. Returns the new name of the main file, or undefined when there was none.
 */
export function moveSqliteStoreAside(file: string, suffix: string): string | undefined {
  const moved = COMPANIONS.filter((ext) => fs.existsSync(`${file}${ext}`));
  for (const ext of moved) fs.renameSync(`${file}${ext}`, `${file}.${suffix}${ext}`);
  return moved.includes('') ? path.resolve(`${file}.${suffix}`) : undefined;
}
