/**
 * Opening a state database written by an older version of cosell-connector: a copy of the file as it was
 * is kept beside it before any migration runs (the way back to the older version, which refuses a newer
 * schema), and the upgrade is told once, when it happens.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './sqlite-schema.js';
import { copyBeforeUpgradePath, versionOnDisk, type SchemaUpgrade } from './sqlite-migrate.js';

/**
 * Copies a database older than this version's schema to `copyBeforeUpgradePath` (a consistent copy,
 * WAL included, through SQLite's VACUUM INTO), unless that copy exists already. Returns its path, or
 * undefined when there is nothing to upgrade.
 *
 * VACUUM INTO cannot run inside the migration's transaction, so two processes may open the old file at
 * once: each writes its own partial file, keeps it only if it still holds the old version (the other
 * process may have migrated in between) and links it under the copy's name only if no copy is there yet.
 * A process killed while copying leaves only a partial file, removed by the next open.
 */
export function keepCopyBeforeUpgrade(db: Database.Database, file: string, latest: number = MIGRATIONS.length): string | undefined {
  const version = versionOnDisk(db);
  if (version === 0 || version >= latest) return undefined;
  const copy = copyBeforeUpgradePath(file, version);
  if (fs.existsSync(copy)) return copy;
  removeLeftPartials(copy);
  const partial = `${copy}.${process.pid}.partial`;
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    fs.chmodSync(partial, 0o600);
    if (versionOf(partial) === version) linkIfAbsent(partial, copy);
  } finally {
    for (const leftover of [partial, `${partial}-journal`]) fs.rmSync(leftover, { force: true });
  }
  return fs.existsSync(copy) ? copy : undefined;
}

function versionOf(file: string): number | undefined {
  try {
    const copy = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return versionOnDisk(copy);
    } finally {
      copy.close();
    }
  } catch {
    return undefined; // removed by another process's clean-up: not ours to keep
  }
}

function linkIfAbsent(partial: string, copy: string): void {
  try {
    fs.linkSync(partial, copy);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Partial copies (and their journals) a killed process left beside `copy`; a live process's are its own. */
function removeLeftPartials(copy: string): void {
  const dir = path.dirname(copy);
  const prefix = `${path.basename(copy)}.`;
  for (const name of fs.readdirSync(dir)) {
    const pid = name.startsWith(prefix) ? /^(\d+)\.partial(-journal)?$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid !== undefined && !processLives(Number(pid))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function processLives(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The one line an admin reads after the upgrade. */
export function describeUpgrade(file: string, upgrade: SchemaUpgrade, copy: string | undefined): string {
  const repairs = upgrade.repairs.length ? ` (${upgrade.repairs.join('; ')})` : '';
  const way = copy ? `; the file as it was is kept at ${copy} (to run the older version again, stop the connector and copy it back over ${file}, without its -wal and -shm files)` : '';
  return `Upgraded the state database ${file} from schema version ${upgrade.from} to ${upgrade.to}${repairs}${way}.`;
}
