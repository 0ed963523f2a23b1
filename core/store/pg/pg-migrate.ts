/**
 * The PostgreSQL schema as versioned SQL files (migrations/NNNN_name.sql), applied in order and recorded
 * in `schema_migrations`. The rules are the SQLite store's (sqlite-schema.ts): append, never edit or
 * renumber a released file; versions 1, 2, 3 … with no gaps; each file forward-only SQL that runs inside
 * one transaction. A transaction-scoped advisory lock makes workers that start together apply each
 * migration exactly once (the others wait, then find nothing to do).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { StateStoreError } from '../store-problems.js';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations folder beside this file (shipped with the code, like the SQLite migrations). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Any fixed 64-bit number unique to this purpose: the advisory lock's key. */
const MIGRATION_LOCK_KEY = 7_362_019_418_116_001;

/** Reads `NNNN_name.sql` files in version order, refusing gaps and stray names. */
export function readPgMigrations(dir: string = MIGRATIONS_DIR): PgMigration[] {
  const files = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
  return files.map((file, index) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`The PostgreSQL migration file ${file} is not named NNNN_name.sql.`);
    const version = Number(match[1]);
    if (version !== index + 1) throw new Error(`The PostgreSQL migration ${file} has version ${version}; expected ${index + 1} (versions are 1, 2, 3 … in order).`);
    return { version, name: match[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') };
  });
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/** Brings the database up to the newest migration in one transaction; returns the version after. */
export async function applyPgMigrations(
  pool: pg.Pool,
  migrations: readonly PgMigration[] = readPgMigrations(),
  onUpgrade: (from: number, to: number) => void = () => undefined,
): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const current = await appliedPgVersion(client);
    const applied = await appliedPgNames(client);
    const unknown = [...applied.keys()].filter((name) => !migrations.some((m) => m.name === name));
    if (current > latest || unknown.length > 0) {
      throw new StateStoreError(
        'store.schema_too_new',
        `The PostgreSQL database is at schema version ${current}, but this version of cosell-connector knows versions up to ${latest} ` +
          `${unknown.length ? `and not the migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ` : ''}` +
          '(a newer cosell-connector migrated it). Run the version that migrated it on every worker.',
        'PostgreSQL',
      );
    }
    // By name, not by number: main once numbered tenant_work 5, before related_row_versions took 5 and
    // tenant_work became 6 (commit 31b6aa1). A database migrated then must get related_row_versions, not
    // skip it by number and then fail on "relation tenant_work already exists".
    let changed = migrations.some((m) => applied.has(m.name) && applied.get(m.name) !== m.version);
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [-migration.version, migration.name]);
      changed = true;
    }
    if (changed) await renumberApplied(client, migrations);
    const after = await appliedPgVersion(client);
    await client.query('COMMIT');
    if (changed && current > 0) onUpgrade(current, after);
    return after;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Applied migrations by name, with the version each was recorded under. */
async function appliedPgNames(client: pg.PoolClient): Promise<Map<string, number>> {
  const { rows } = await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations');
  return new Map(rows.map((row) => [row.name, row.version]));
}

/**
 * Records every applied migration under this version's number (a new one was inserted negated, so that
 * it cannot collide with a number an older release gave another migration): two steps, because
 * `version` is the key and the shift keeps every row's number distinct.
 */
async function renumberApplied(client: pg.PoolClient, migrations: readonly PgMigration[]): Promise<void> {
  await client.query('UPDATE schema_migrations SET version = version - 1000000');
  for (const migration of migrations) {
    await client.query('UPDATE schema_migrations SET version = $1 WHERE name = $2', [migration.version, migration.name]);
  }
}

/** The newest applied version; 0 for an empty database. */
export async function appliedPgVersion(db: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await db.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}
