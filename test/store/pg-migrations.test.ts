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
import { pgStateStore } from '../../core/store/pg/pg-store.js';
import { createThrowawayDatabase } from '../helpers/pg-database.js';
import { insertTenants } from '../worker/tenants-fixture.js';

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

  it("moves the webhook queue a database kept as one value (serve.pendingReferrals) into its rows, nothing waiting lost", async () => {
    const throwaway = await createThrowawayDatabase();
    const pool = new pg.Pool({ connectionString: throwaway.url, max: 2 });
    pool.on('error', () => undefined);
    try {
      const migrations = readPgMigrations();
      const before = migrations.findIndex((m) => m.name === 'pending_referrals');
      await applyPgMigrations(pool, migrations.slice(0, before));
      await insertTenants(pool, ['t1']);
      const failure = { reason: 'the referral could not be read', attempts: 2, retryAtMs: 1_765_000_060_000 };
      const saved = [{ referralId: 'waiting', receivedMs: 1_765_000_000_000, events: 3 }, { referralId: 'failed', receivedMs: 1_765_000_000_005, events: 1, failure }];
      await pool.query('INSERT INTO store_meta (tenant_id, key, value_json, updated_at) VALUES ($1, $2, $3::json, $4)', ['t1', 'serve.pendingReferrals', JSON.stringify(saved), '2026-12-06T08:00:00.000Z']);
      await pool.end();
      const db = await openPgDatabase({ connectionString: throwaway.url });
      try {
        const store = await pgStateStore(db, 't1');
        assert.deepEqual(await store.pendingReferrals.list(), saved);
        assert.equal(await store.getMeta('serve.pendingReferrals'), undefined, 'the old value is gone');
      } finally {
        await db.close();
      }
    } finally {
      await pool.end().catch(() => undefined);
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
