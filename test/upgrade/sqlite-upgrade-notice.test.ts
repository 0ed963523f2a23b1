/**
 * Opening a state database an older version wrote: the upgrade is told once, with the versions, and the
 * file as it was is kept beside it, so that the older version (which refuses the newer schema, exit 8)
 * can be run again by copying it back. Before, the upgrade was silent and the only way back was a backup
 * the admin had to think of taking before `git pull`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, openSqliteStore } from '../../core/store/index.js';
import { reportUpgradesTo } from '../../core/store/upgrade-notice.js';
import { applyMigrations } from '../../core/store/sqlite-migrate.js';
import { makeLink, makeTempDir } from '../store/store-fixtures.js';

function schema3File(file: string): void {
  const old = new Database(file);
  applyMigrations(old, file, MIGRATIONS.slice(0, 3));
  const link = makeLink(1);
  old.prepare("INSERT INTO links (crm_id, referral_id, state, base_json, updated_at) VALUES (?, ?, 'active', ?, ?)").run(link.crmId, link.referralId, JSON.stringify(link.base), link.updatedAt);
  old.close();
}

describe('SQLite: opening a database an older version wrote', () => {
  const temp = makeTempDir();
  const told: string[] = [];
  let previous: (message: string) => void;
  before(() => {
    previous = reportUpgradesTo((message) => told.push(message));
  });
  after(() => {
    reportUpgradesTo(previous);
    temp.cleanup();
  });
  beforeEach(() => told.splice(0));

  it('says it upgraded it, from which version to which, and keeps the file as it was', () => {
    const file = temp.file();
    schema3File(file);
    const store = openSqliteStore(file);
    try {
      assert.equal(store.getLinkByCrmId(makeLink(1).crmId)?.referralId, makeLink(1).referralId, 'no link lost');
    } finally {
      store.close();
    }
    assert.equal(told.length, 1);
    assert.match(told[0]!, new RegExp(`Upgraded the state database .* from schema version 3 to ${MIGRATIONS.length}`));
    const copy = `${file}.schema-3.bak`;
    assert.ok(told[0]!.includes(copy), 'the message names the copy');
    const kept = new Database(copy, { readonly: true });
    try {
      assert.equal(kept.prepare<[], { v: number }>('SELECT MAX(version) AS v FROM schema_migrations').get()?.v, 3);
      assert.equal(kept.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM links').get()?.n, 1);
    } finally {
      kept.close();
    }
    if (process.platform !== 'win32') assert.equal(fs.statSync(copy).mode & 0o777, 0o600, 'owner-only, like the database');

    openSqliteStore(file).close();
    assert.equal(told.length, 1, 'a second open has nothing to tell');
  });

  it('does not take a copy left half-written by a killed process for the copy', () => {
    const file = temp.file();
    schema3File(file);
    fs.writeFileSync(`${file}.schema-3.bak.999999999.partial`, 'half a copy');
    fs.writeFileSync(`${file}.schema-3.bak.999999999.partial-journal`, 'its journal');
    openSqliteStore(file).close();
    const kept = new Database(`${file}.schema-3.bak`, { readonly: true });
    try {
      assert.equal(kept.pragma('quick_check', { simple: true }), 'ok');
      assert.equal(kept.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM links').get()?.n, 1);
    } finally {
      kept.close();
    }
    assert.deepEqual(fs.readdirSync(temp.dir).filter((name) => name.includes('.partial')), [], 'no leftovers');
  });

  it('says nothing for a new file', () => {
    openSqliteStore(path.join(temp.dir, 'new.sqlite')).close();
    assert.deepEqual(told, []);
  });
});
