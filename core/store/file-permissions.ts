/**
 * Owner-only files at rest. The state database holds customer names, emails, phones and notes, and the
 * token cache holds the sign-in that keeps a timer job running for months: the folder is 0700 and every
 * file 0600, set when created and tightened (with a warning) when found looser. SQLite gives its `-wal`
 * and `-shm` files the database file's permissions, so creating the database file 0600 before SQLite
 * opens it covers them from the start. No-op on Windows, where POSIX modes do not apply.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export type PermissionWarn = (message: string) => void;

let sink: PermissionWarn = (message) => process.emitWarning(message, 'CosellPermissionWarning');

/**
 * Where tightening warnings go: Node's process warnings until a command has its logger, then the log
 * (one readable warn line, not a Node warning with a stack hint). Process-wide, like the log itself.
 */
export function reportPermissionWarningsTo(warn: PermissionWarn): PermissionWarn {
  const previous = sink;
  sink = warn;
  return previous;
}

const defaultWarn: PermissionWarn = (message) => sink(message);

const applies = () => process.platform !== 'win32';

function tighten(target: string, mode: number, kind: string, warn: PermissionWarn): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const current = stat.mode & 0o777;
  if ((current & ~mode) === 0) return;
  try {
    fs.chmodSync(target, mode);
    warn(`${kind} ${target} was readable by other users (mode ${current.toString(8).padStart(4, '0')}); tightened to ${mode.toString(8).padStart(4, '0')}`);
  } catch {
    warn(`${kind} ${target} is readable by other users (mode ${current.toString(8).padStart(4, '0')}) and could not be tightened; run: chmod ${mode.toString(8)} ${target}`);
  }
}

/**
 * Why an existing folder is not ours to tighten, or undefined when it is: a folder shared by design (the
 * sticky bit: /tmp, /var/tmp), another user's, the home folder, or a top-level folder. Changing those would
 * break other programs and users (0700 on /tmp stops every other user's temporary files), and the state
 * files in them are 0600 anyway. Pure.
 */
export function notOursToTighten(dir: string, stat: { mode: number; uid: number }, me: { uid: number; home: string }): string | undefined {
  const resolved = path.resolve(dir);
  if (stat.mode & 0o1000) return 'it is shared by design (sticky bit, like /tmp)';
  if (stat.uid !== me.uid) return 'it belongs to another user';
  if (resolved === path.resolve(me.home)) return 'it is your home folder';
  if (path.dirname(resolved) === path.parse(resolved).root) return 'it is a top-level folder';
  return undefined;
}

/** Creates `dir` owner-only (0700), or tightens it if it exists with a looser mode and is ours to change. */
export function securePrivateFolder(dir: string, warn: PermissionWarn = defaultWarn): void {
  if (!applies()) {
    fs.mkdirSync(dir, { recursive: true });
    return;
  }
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
    // mkdir's mode is filtered by the umask; state it exactly.
    fs.chmodSync(dir, PRIVATE_FOLDER_MODE);
    return;
  }
  const stat = fs.statSync(dir);
  const current = stat.mode & 0o777;
  if ((current & ~PRIVATE_FOLDER_MODE) === 0) return;
  const reason = notOursToTighten(dir, stat, { uid: process.getuid?.() ?? stat.uid, home: os.homedir() });
  if (reason) {
    warn(`The folder ${dir} is readable by other users (mode ${current.toString(8).padStart(4, '0')}) and is left as it is because ${reason}; its state files are owner-only, but keep them in a folder of their own (for example ${path.join(dir, '.cosell')})`);
    return;
  }
  tighten(dir, PRIVATE_FOLDER_MODE, 'The folder', warn);
}

/** Tightens an existing file to 0600 (with a warning); a missing file is left alone. */
export function securePrivateFile(file: string, warn: PermissionWarn = defaultWarn): void {
  if (applies()) tighten(file, PRIVATE_FILE_MODE, 'The file', warn);
}

/** Creates `file` empty and 0600 if it does not exist yet (SQLite accepts an empty file as a new database). */
function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Before SQLite opens `dbFile`: the state folder 0700, the database created 0600, and every existing file
 * of this database in the folder (`-wal`, `-shm`, `-journal`, backups named after it) tightened to 0600.
 */
export function secureStateFiles(dbFile: string, warn: PermissionWarn = defaultWarn): void {
  const resolved = path.resolve(dbFile);
  const folder = path.dirname(resolved);
  securePrivateFolder(folder, warn);
  if (!applies()) return;
  createPrivateFile(resolved);
  const base = path.basename(resolved);
  for (const name of fs.readdirSync(folder)) {
    if (name.startsWith(base)) securePrivateFile(path.join(folder, name), warn);
  }
}
