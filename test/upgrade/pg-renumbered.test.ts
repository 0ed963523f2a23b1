/**
 * A PostgreSQL database migrated by main between commits cb46795 and c93ae5b, when tenant_work was
 * migration 5: the next release made related_row_versions 5 and tenant_work 6. Opened by that release,
 * such a database skipped related_row_versions by number and then failed on every start with
 * 'relation "tenant_work" already exists' (seen upgrading a database c93ae5b created).
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { openPgDatabase } from '../../core/store/pg/pg-database.js';
import { applyPgMigrations, readPgMigrations } from '../../core/store/pg/pg-migrate.js';
import { reportUpgradesTo } from '../../core/store/upgrade-notice.js';
import { createThrowawayDatabase } from '../helpers/pg-database.js';

describe('PostgreSQL: a database migrated when tenant_work was migration 5', function () {
  this.timeout(120_000);

  it('gets the migrations it lacks, once, and is then recorded under this version\'s numbers', async () => {
    const throwaway = await createThrowawayDatabase();
    const pool = new pg.Pool({ connectionString: throwaway.url, max: 4 });
    pool.on('error', () => undefined);
    try {
      const current = readPgMigrations();
      const byName = new Map(current.map((m) => [m.name, m]));
      // The historical order and numbers: tenants, state, crm_leads, notifications, tenant_work.
      const then = ['tenants', 'state', 'crm_leads', 'notifications', 'tenant_work'].map((name, i) => ({ ...byName.get(name)!, version: i + 1 }));
      assert.equal(await applyPgMigrations(pool, then), 5);

      const versions = await Promise.all([1, 2].map(() => applyPgMigrations(pool)));
      assert.deepEqual(versions, [current.length, current.length]);
      const { rows } = await pool.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => `${r.version}:${r.name}`), current.map((m) => `${m.version}:${m.name}`));
      const columns = await pool.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'crm_related_rows'");
      assert.ok(columns.rows.some((c) => c.column_name === 'pending_run'), 'related_row_versions ran');
      assert.equal(await applyPgMigrations(pool), current.length, 'a further start does nothing');
    } finally {
      await pool.end();
      await throwaway.drop();
    }
  });

  it('says once that it upgraded the database, from which version to which, and nothing for a new one', async () => {
    const throwaway = await createThrowawayDatabase();
    const told: string[] = [];
    const previous = reportUpgradesTo((message) => told.push(message));
    const pool = new pg.Pool({ connectionString: throwaway.url, max: 2 });
    pool.on('error', () => undefined);
    try {
      const current = readPgMigrations();
      assert.equal(await applyPgMigrations(pool, current.slice(0, 4)), 4);
      assert.deepEqual(told, [], 'a new database has nothing to tell');
      for (let open = 0; open < 2; open += 1) await (await openPgDatabase({ connectionString: throwaway.url })).close();
      assert.equal(told.length, 1, 'told once');
      assert.match(told[0]!, new RegExp(`^Upgraded the PostgreSQL database postgres://.*127\\.0\\.0\\.1.* from schema version 4 to ${current.length}\\.$`));
    } finally {
      reportUpgradesTo(previous);
      await pool.end();
      await throwaway.drop();
    }
  });
});
