/**
 * A PostgreSQL database migrated by main between commits cb46795 and c93ae5b, when tenant_work was
 * migration 5: the next release made related_row_versions 5 and tenant_work 6. Opened by that release,
 * such a database skipped related_row_versions by number and then failed on every start with
 * 'relation "tenant_work" already exists' (seen upgrading a database c93ae5b created).
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { applyPgMigrations, readPgMigrations } from '../../core/store/pg/pg-migrate.js';
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
});
