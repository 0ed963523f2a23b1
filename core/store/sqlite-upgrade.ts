/**
 * Opening a state database written by an older version of cosell-connector: a copy of the file as it was
 * is kept beside it before any migration runs (the way back to the older version, which refuses a newer
 * schema), and the upgrade is told once, when it happens.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { copyBeforeUpgradePath, MIGRATIONS, type SchemaUpgrade } from './sqlite-schema.js';

/** The schema version of a database without touching it; 0 when it has none yet. */
function versionOnDisk(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  return db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations').get()?.version ?? 0;
}

/**
 * Copies a database older than this version's schema to `copyBeforeUpgradePath` (a consistent copy,
 * WAL included, through SQLite's VACUUM INTO), unless that copy exists already. Returns its path, or
 * undefined when there is nothing to upgrade.
 */
export function keepCopyBeforeUpgrade(db: Database.Database, file: string, latest: number = MIGRATIONS.length): string | undefined {
  const version = versionOnDisk(db);
  if (version === 0 || version >= latest) return undefined;
  const copy = copyBeforeUpgradePath(file, version);
  if (fs.existsSync(copy)) return copy;
  // Written under another name and renamed when whole: a process killed while copying leaves no half copy
  // under the name an admin is told to restore from.
  const partial = `${copy}.partial`;
  for (const leftover of [partial, `${partial}-journal`]) fs.rmSync(leftover, { force: true });
  db.prepare('VACUUM INTO ?').run(partial);
  fs.chmodSync(partial, 0o600);
  fs.renameSync(partial, copy);
  return copy;
}

/** The one line an admin reads after the upgrade. */
export function describeUpgrade(file: string, upgrade: SchemaUpgrade, copy: string | undefined): string {
  const repairs = upgrade.repairs.length ? ` (${upgrade.repairs.join('; ')})` : '';
  const way = copy ? `; the file as it was is kept at ${copy} (to run the older version again, stop the connector and copy it back over ${file}, without its -wal and -shm files)` : '';
  return `Upgraded the state database ${file} from schema version ${upgrade.from} to ${upgrade.to}${repairs}${way}.`;
}
