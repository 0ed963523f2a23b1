/**
 * What to tell an admin when the state database cannot be used: the file, what is wrong with it, and
 * the fix. SQLite's own messages ("database disk image is malformed", "unable to open database file")
 * name neither the file nor a remedy, so every SQLite or file-system failure of the store goes through
 * {@link explainStoreFailure} before it reaches a person.
 */
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { ConnectorError } from '../errors.js';

/** The state database cannot be used as it is; the message names the file and the fix. */
export class StateStoreError extends ConnectorError {
  constructor(code: string, message: string, file: string, options?: { cause?: unknown }) {
    super(code, message, false, { target: file }, options);
  }
}

/** How long a statement waits for another process's write lock before SQLite answers SQLITE_BUSY. */
export const STORE_BUSY_TIMEOUT_MS = 5_000;

/** The codes of {@link StateStoreError}: the store cannot be used until someone acts. */
const UNUSABLE_CODES = new Set([
  'store.damaged', 'store.read_only', 'store.cannot_open', 'store.disk_full', 'store.io_error', 'store.missing', 'store.schema_too_new',
  'store.wal_unavailable',
]);

export function isUnusableStoreCode(code: string | undefined): boolean {
  return code !== undefined && UNUSABLE_CODES.has(code);
}

/**
 * An unusable store that becomes usable again with no change to the connector's files: a full disk, once
 * someone frees space (SQLite rolls the failed write back, so nothing is half-written). `cosell run` reports
 * it at every turn and tries again, instead of ending and leaving the deals unsynced after the space is back.
 */
export function clearsByItself(code: string | undefined): boolean {
  return code === 'store.disk_full';
}

const RESTORE_OR_REBUILD =
  'Restore it from a backup (copy the file made by "cosell state backup FILE" over it), or run "cosell state rebuild": ' +
  'it moves the file aside and the next sync rebuilds the links from the referral IDs on both sides, treating every difference as a conflict.';

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** Bytes this user may still write on the file system holding `folder`; undefined when it cannot be asked. */
export function freeBytesAt(folder: string): number | undefined {
  try {
    const stats = statfsSync(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

/** Below this, an I/O error of the store is taken for a full disk: SQLite needs a few pages for any commit. */
const LOW_SPACE_BYTES = 1024 * 1024;

/**
 * Whether a store failure is a full disk. SQLite does not always say so: on a full disk, opening a database
 * in WAL mode fails with SQLITE_IOERR_SHMSIZE (the -shm file cannot grow; SQLite's result-code page names
 * "a full disk" as its cause), and an fsync or truncate can fail with another I/O error. Those were
 * reported as a damaged disk with advice to restore or rebuild the store, and `cosell run` stopped for good.
 * So any other I/O error asks the file system how much room is left. Pure apart from `freeBytes`.
 */
export function meansDiskFull(code: string, freeBytes: () => number | undefined): boolean {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_SHMSIZE') return true;
  if (!code.startsWith('SQLITE_IOERR')) return false;
  const free = freeBytes();
  return free !== undefined && free < LOW_SPACE_BYTES;
}

function freeText(bytes: number | undefined): string {
  return bytes === undefined ? '' : `; ${Math.floor(bytes / 1024)} KiB free`;
}

/** Reads SQLite's result code (better-sqlite3's `SqliteError.code`) or Node's errno code. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Turns a SQLite or file-system failure on `file` into a {@link StateStoreError}; returns undefined for
 * anything else (an error thrown by the caller's own work inside a transaction passes through unchanged).
 */
export function explainStoreFailure(
  error: unknown,
  file: string,
  freeBytes: (folder: string) => number | undefined = freeBytesAt,
): StateStoreError | undefined {
  if (error instanceof StateStoreError) return error;
  const code = codeOf(error);
  const detail = (error as Error | undefined)?.message ?? String(error);
  const path = resolve(file);
  const folder = dirname(path);
  const user = whoAmI();
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB') {
    return new StateStoreError('store.damaged', `The state database ${path} is damaged (SQLite: ${detail}). ${RESTORE_OR_REBUILD}`, path, { cause: error });
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EACCES' || code === 'EPERM') {
    return new StateStoreError(
      'store.read_only',
      `The state database ${path} cannot be written by ${user} (${detail}). Give ${user} read and write access to the file and its folder ` +
        `(for example: chown ${user} ${folder} ${path}*; chmod 700 ${folder}; chmod 600 ${path}*), or point "store > path" in the config at a folder it owns.`,
      path,
      { cause: error },
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    return new StateStoreError(
      'store.cannot_open',
      `The state database ${path} cannot be opened (${detail}). Check that ${folder} is a folder ${user} can read and write, ` +
        `and that ${path} is a file, or point "store > path" in the config elsewhere.`,
      path,
      { cause: error },
    );
  }
  if (meansDiskFull(code, () => freeBytes(folder))) {
    return new StateStoreError(
      'store.disk_full',
      `The disk holding the state database ${path} is full (${detail}${freeText(freeBytes(folder))}). Free some space; nothing committed is lost.`,
      path,
      { cause: error },
    );
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    // Not a cosell sync: those take the runner lock first and wait or say who holds it (exit 6).
    return new StateStoreError(
      'store.busy',
      `The state database ${path} is busy: another program has held its write lock for as long as the connector waits for it (${STORE_BUSY_TIMEOUT_MS / 1000} s; SQLite: ${detail}). ` +
        'It is not a cosell sync (that would hold the runner lock and be named): close what holds the file (an sqlite3 shell with an open ' +
        'transaction, a backup or file-sync tool that locks it; a network file system without working locks cannot hold it), then run again. ' +
        'Nothing committed is lost, and `cosell run` tries again at its next turn.',
      path,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StateStoreError('store.io_error', `The state database ${path} could not be read or written (${detail}). Check the disk; if it keeps failing, ${RESTORE_OR_REBUILD}`, path, { cause: error });
  }
  return undefined;
}

export function missingStoreError(file: string): StateStoreError {
  const path = resolve(file);
  return new StateStoreError(
    'store.missing',
    `There is no state database at ${path} yet; the first "cosell sync --once" creates it. If there was one, restore it from a backup ` +
      '(copy the file made by "cosell state backup FILE" to that path); otherwise the next sync rebuilds the links from the referral IDs on both sides.',
    path,
  );
}

/**
 * Wraps every method of `store` so that a SQLite failure at any later point (a page of a long run, a
 * `status` read) is explained the same way as one at open.
 */
export function explainingFailures<T extends object>(store: T, file: string): T {
  // One wrapper per method, made on first use: the engine calls the store several times per record, and a
  // new closure on every property read was garbage on every call.
  const wrappers = new WeakMap<(...a: unknown[]) => unknown, (...a: unknown[]) => unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...a: unknown[]) => unknown;
      let wrapper = wrappers.get(method);
      if (!wrapper) {
        wrapper = (...args: unknown[]) => {
          try {
            return method.apply(target, args);
          } catch (error) {
            throw explainStoreFailure(error, file) ?? error;
          }
        };
        wrappers.set(method, wrapper);
      }
      return wrapper;
    },
  });
}
