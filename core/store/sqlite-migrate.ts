/**
 * Applying the schema's migrations (sqlite-schema.ts) at open: the version a file holds, read without a
 * write lock; the migrations it lacks, in one IMMEDIATE transaction; the data repairs an older version's
 * file needs (sqlite-repairs.ts); and what an upgrade did, for its notice (sqlite-upgrade.ts).
 */
import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './sqlite-schema.js';
import { applyDataRepairs } from './sqlite-repairs.js';
import { StateStoreError } from './store-problems.js';

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY NOT NULL,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

/** The schema version of a database without writing to it (no write lock); 0 when it has none yet. */
export function versionOnDisk(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  return table ? appliedVersion(db) : 0;
}

/** What opening a database written by an older version did to it (nothing for a new or current file). */
export interface SchemaUpgrade {
  from: number;
  to: number;
  /** What the data repairs (sqlite-repairs.ts) that ran did. */
  repairs: string[];
}

/** Where an upgrade keeps the file as it was at schema version `version` (sqlite-upgrade.ts). */
export function copyBeforeUpgradePath(file: string, version: number): string {
  return `${file}.schema-${version}.bak`;
}

/** The newest version a database has applied; 0 for a new file. */
export function appliedVersion(db: Database.Database): number {
  const row = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations').get();
  return row?.version ?? 0;
}

/**
 * Brings `db` up to the newest migration in one IMMEDIATE transaction, so two processes opening the same
 * new file at once apply each migration exactly once (the second waits, then finds nothing to do).
 * Refuses a database newer than `migrations` knows: old code writing a newer schema could corrupt it.
 * Returns the version after migrating.
 */
export function applyMigrations(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => Date = () => new Date(),
  onUpgrade: (upgrade: SchemaUpgrade) => void = () => undefined,
): number {
  assertWellFormed(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const tooNew = (current: number) =>
    new StateStoreError(
      'store.schema_too_new',
      `The state database ${file} is at schema version ${current}, but this version of cosell-connector knows schema versions up to ${latest} ` +
        '(a newer cosell-connector wrote it). Upgrade cosell-connector to the version that wrote it, or copy the file as it was before the upgrade over it: ' +
        `${copyBeforeUpgradePath(file, latest)}, kept by the upgrade, or the file "cosell state backup FILE" made.`,
      file,
    );
  // Read first: a database already at this version needs no write lock, so opening it (`cosell status`) does
  // not wait for, or fail on, another program that holds the write lock.
  const found = versionOnDisk(db);
  if (found > latest) throw tooNew(found);
  if (found === latest && found > 0) return latest;
  const migrate = db.transaction(() => {
    db.exec(CREATE_MIGRATIONS_TABLE);
    const current = appliedVersion(db);
    if (current > latest) throw tooNew(current);
    const record = db.prepare<[number, string, string]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now().toISOString());
    }
    const after = appliedVersion(db);
    return { after, upgrade: after > current && current > 0 ? { from: current, to: after, repairs: applyDataRepairs(db, current) } : undefined };
  });
  const { after, upgrade } = migrate.immediate();
  if (upgrade) onUpgrade(upgrade);
  return after;
}

/** A programming guard: versions must be 1, 2, 3 … in order, or "applied up to N" would be meaningless. */
function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration ${migration.name} has version ${migration.version}; expected ${index + 1} (versions are 1, 2, 3 … in order).`);
    }
  });
}
