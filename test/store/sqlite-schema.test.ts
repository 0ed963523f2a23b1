/**
 * The SQLite file itself: where it is created, its journal mode, its migrations, and the indexes the
 * store's queries depend on.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConnectorError } from '../../core/errors.js';
import { MIGRATIONS, openSqliteStore } from '../../core/store/index.js';
import { applyMigrations } from '../../core/store/sqlite-migrate.js';
import type { Migration } from '../../core/store/sqlite-schema.js';
import { prepareStatements } from '../../core/store/sqlite-statements.js';
import { makeLink, makeTempDir } from './store-fixtures.js';

const LATEST = MIGRATIONS.length;

function appliedMigrations(file: string): { version: number; name: string; applied_at: string }[] {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.prepare<[], { version: number; name: string; applied_at: string }>('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
  } finally {
    raw.close();
  }
}

describe('SQLite state store: file and schema', () => {
  const temp = makeTempDir();
  after(() => temp.cleanup());

  it('creates the file and its missing parent folders, in WAL mode', () => {
    const file = path.join(temp.dir, 'nested', 'deeper', 'state.sqlite');
    const store = openSqliteStore(file);
    store.putLink(makeLink(1));
    const raw = new Database(file, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      assert.ok(fs.existsSync(`${file}-wal`), 'writes go to the write-ahead log');
    } finally {
      raw.close();
      store.close();
    }
  });

  it('migrates a new file to the latest version, and a second open is a no-op', () => {
    const file = temp.file();
    const first = openSqliteStore(file);
    assert.equal(first.schemaVersion(), LATEST);
    first.close();
    const afterFirstOpen = appliedMigrations(file);
    assert.deepEqual(afterFirstOpen.map((m) => m.version), MIGRATIONS.map((m) => m.version));

    const second = openSqliteStore(file);
    assert.equal(second.schemaVersion(), LATEST);
    second.close();
    assert.deepEqual(appliedMigrations(file), afterFirstOpen);
  });

  it('applies only the migrations a database has not seen yet, once each', () => {
    const file = temp.file();
    openSqliteStore(file).close();
    const next: Migration = { version: LATEST + 1, name: 'test_run_note', sql: 'ALTER TABLE runs ADD COLUMN note TEXT' };
    const raw = new Database(file);
    try {
      // A second ALTER TABLE … ADD COLUMN of the same column would throw, so the repeat proves it ran once.
      assert.equal(applyMigrations(raw, file, [...MIGRATIONS, next]), LATEST + 1);
      assert.equal(applyMigrations(raw, file, [...MIGRATIONS, next]), LATEST + 1);
    } finally {
      raw.close();
    }
    assert.deepEqual(appliedMigrations(file).map((m) => m.name), [...MIGRATIONS.map((m) => m.name), 'test_run_note']);
  });

  it('refuses a database written by a newer version, naming the file and both versions, and leaves it alone', () => {
    const file = temp.file();
    openSqliteStore(file).close();
    const raw = new Database(file);
    applyMigrations(raw, file, [...MIGRATIONS, { version: LATEST + 1, name: 'from_the_future', sql: 'CREATE TABLE future (x TEXT) STRICT' }]);
    raw.close();

    assert.throws(
      () => openSqliteStore(file),
      (error: unknown) =>
        error instanceof ConnectorError &&
        error.code === 'store.schema_too_new' &&
        error.message.includes(file) &&
        error.message.includes(`schema version ${LATEST + 1}`) &&
        error.message.includes(`up to ${LATEST}`),
    );
    assert.equal(appliedMigrations(file).at(-1)?.version, LATEST + 1);
  });

  it('refuses a migration list whose versions are not 1, 2, 3 … in order', () => {
    const raw = new Database(':memory:');
    try {
      const gap: Migration[] = [MIGRATIONS[0]!, { version: 3, name: 'skips_two', sql: 'SELECT 1' }];
      assert.throws(() => applyMigrations(raw, ':memory:', gap), /skips_two has version 3; expected 2/);
    } finally {
      raw.close();
    }
  });

  it('keeps links unique by CRM ID and by referral ID, and finds due holds through the held_until index', () => {
    const file = temp.file();
    openSqliteStore(file).close();
    const raw = new Database(file, { readonly: true });
    try {
      const uniqueColumns = raw
        .prepare<[], { name: string; unique: number }>("SELECT name, \"unique\" FROM pragma_index_list('links')")
        .all()
        .filter((index) => index.unique === 1)
        .map((index) => raw.prepare<[string], { name: string }>('SELECT name FROM pragma_index_info(?)').all(index.name).map((c) => c.name).join(','))
        .sort();
      assert.deepEqual(uniqueColumns, ['crm_id', 'referral_id']);

      const dueHolds = prepareStatements(raw).dueHolds.source;
      const plan = raw.prepare<[string], { detail: string }>(`EXPLAIN QUERY PLAN ${dueHolds}`).all('2026-01-08T09:00:00.000Z');
      assert.ok(plan.some((step) => step.detail.includes('links_due_holds')), JSON.stringify(plan));
      assert.ok(!plan.some((step) => step.detail.includes('TEMP B-TREE')), 'the index already gives the order');
    } finally {
      raw.close();
    }
  });
});
