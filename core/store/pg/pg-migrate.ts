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
export async function applyPgMigrations(pool: pg.Pool, migrations: readonly PgMigration[] = readPgMigrations()): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const current = await appliedPgVersion(client);
    if (current > latest) {
      throw new StateStoreError(
        'store.schema_too_new',
        `The PostgreSQL database is at schema version ${current}, but this version of cosell-connector knows versions up to ${latest} ` +
          '(a newer cosell-connector migrated it). Run the version that migrated it on every worker.',
        'PostgreSQL',
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    const after = await appliedPgVersion(client);
    await client.query('COMMIT');
    return after;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The newest applied version; 0 for an empty database. */
export async function appliedPgVersion(db: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await db.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}
