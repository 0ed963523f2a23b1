/**
 * The PostgreSQL schema's versioned migrations: applied once and recorded, safe when workers start
 * together, refusing a database a newer version migrated, and the files themselves well formed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ConnectorError } from '../../core/errors.js';
import { MIGRATIONS } from '../../core/store/index.js';
import { openPgDatabase } from '../../core/store/pg/pg-database.js';
import { applyPgMigrations, readPgMigrations } from '../../core/store/pg/pg-migrate.js';
import { createThrowawayDatabase } from '../helpers/pg-database.js';

describe('PostgreSQL migrations', function () {
  this.timeout(120_000);

  it('are numbered 1, 2, 3 …, and keep up with the SQLite schema version by version', () => {
    const migrations = readPgMigrations();
    assert.deepEqual(migrations.map((m) => m.version), migrations.map((_, i) => i + 1));
    const equals = migrations.flatMap((m) => [.../Equals SQLite schema version: (\d+)/.exec(m.sql)?.slice(1) ?? []].map(Number));
    assert.equal(
      Math.max(...equals),
      MIGRATIONS.at(-1)!.version,
      'the SQLite store gained a migration: add the same change for PostgreSQL as core/store/pg/migrations/NNNN_name.sql with an "Equals SQLite schema version: N" line',
    );
  });

  it('refuses a folder with a gap or a stray file name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-pg-migrations-'));
    try {
      fs.writeFileSync(path.join(dir, '0001_first.sql'), 'SELECT 1');
      fs.writeFileSync(path.join(dir, '0003_third.sql'), 'SELECT 1');
      assert.throws(() => readPgMigrations(dir), /0003_third\.sql has version 3; expected 2/);
      fs.renameSync(path.join(dir, '0003_third.sql'), path.join(dir, 'second.sql'));
      assert.throws(() => readPgMigrations(dir), /second\.sql is not named NNNN_name\.sql/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('apply once even when several workers start together, record each version, and refuse a newer database', async () => {
    const throwaway = await createThrowawayDatabase();
    const pool = new pg.Pool({ connectionString: throwaway.url, max: 6 });
    // As in openPgDatabase: an idle client whose server ends it (the throwaway database's forced drop)
    // emits 'error' on the pool, which must not become an uncaught error of the test run.
    pool.on('error', () => undefined);
    try {
      const versions = await Promise.all([1, 2, 3].map(() => applyPgMigrations(pool)));
      const latest = readPgMigrations().length;
      assert.deepEqual(versions, [latest, latest, latest]);
      const { rows } = await pool.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), readPgMigrations().map((m) => m.version));
      assert.equal(rows[0]?.name, 'tenants');
      await pool.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
      await assert.rejects(
        () => openPgDatabase({ connectionString: throwaway.url }),
        (error: unknown) => error instanceof ConnectorError && error.code === 'store.schema_too_new' && /schema version 999/.test(error.message),
      );
    } finally {
      await pool.end();
      await throwaway.drop();
    }
  });

  it('an unreachable server is an error naming the server without its password', async () => {
    await assert.rejects(
      () => openPgDatabase({ connectionString: 'postgres://postgres:s3cret-pw@127.0.0.1:1/cosell' }),
      (error: unknown) => error instanceof ConnectorError && error.code === 'store.pg_unreachable' && error.message.includes('postgres://postgres@127.0.0.1:1/cosell') && !error.message.includes('s3cret'),
    );
  });
});
