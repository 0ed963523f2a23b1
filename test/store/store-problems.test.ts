/**
 * A state database that cannot be used is explained with its file, the problem and the fix; backups are
 * consistent, private and checked; a damaged file is moved aside for a fresh one.
 */
import assert from 'node:assert/strict';
import fs, { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../core/store/index.js';
import { backupSqliteStore, checkSqliteStore, moveSqliteStoreAside } from '../../core/store/sqlite-maintenance.js';
import { explainStoreFailure, freeBytesAt, StateStoreError } from '../../core/store/store-problems.js';
import { MIGRATIONS } from '../../core/store/sqlite-schema.js';
import { makeLink } from './store-fixtures.js';

function isStoreError(code: string, ...patterns: RegExp[]) {
  return (error: unknown) => error instanceof StateStoreError && error.code === code && patterns.every((p) => p.test(error.message));
}

describe('state database problems', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cosell-store-problems-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a file that is not a database names the file and both fixes', () => {
    const file = join(dir, 'cosell.sqlite');
    writeFileSync(file, 'not a database '.repeat(400));
    assert.throws(() => openSqliteStore(file), isStoreError('store.damaged', new RegExp(file.replace(/\//g, '\\/')), /cosell state backup/, /cosell state rebuild/));
  });

  it('damage found after opening (a page of a run, a status read) is explained the same way', () => {
    const file = join(dir, 'cosell.sqlite');
    const store = openSqliteStore(file);
    for (let i = 1; i <= 1_000; i += 1) store.putLink(makeLink(i));
    store.close();
    const fd = new Database(file);
    fd.pragma('wal_checkpoint(TRUNCATE)');
    fd.close();
    // Overwrite the second half of the file: the schema's pages at the start survive, the links' do not.
    const bytes = statSync(file).size;
    const from = Math.floor(bytes / 2 / 4096) * 4096;
    const garbage = Buffer.alloc(bytes - from, 0x5a);
    const handle = fs.openSync(file, 'r+');
    fs.writeSync(handle, garbage, 0, garbage.length, from);
    fs.closeSync(handle);
    const damaged = openSqliteStore(file);
    try {
      assert.throws(() => damaged.listLinks({}), isStoreError('store.damaged', /is damaged/, /cosell state rebuild/));
    } finally {
      damaged.close();
    }
    const report = checkSqliteStore(file);
    assert.equal(report.ok, false);
  });

  it('a read-only or unopenable file names the user and the fix; other errors pass through untouched', () => {
    const readOnly = explainStoreFailure(Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }), join(dir, 'x.sqlite'));
    assert.equal(readOnly?.code, 'store.read_only');
    assert.match(readOnly!.message, /cannot be written by .*chmod 600/);
    const cannotOpen = explainStoreFailure(Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' }), join(dir, 'x.sqlite'));
    assert.equal(cannotOpen?.code, 'store.cannot_open');
    assert.match(cannotOpen!.message, /x\.sqlite cannot be opened \(unable to open database file\)/);
    assert.equal(explainStoreFailure(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_FULL' }), 'x')?.code, 'store.disk_full');
    assert.equal(explainStoreFailure(new Error('a mapping failed'), 'x'), undefined);
  });

  it('a full disk is told as one even when SQLite calls it an I/O error, so cosell run waits for space instead of stopping', () => {
    const ioError = (code: string) => Object.assign(new Error('disk I/O error'), { code });
    const file = join(dir, 'x.sqlite');
    // Opening in WAL mode on a full disk: the -shm file cannot grow (seen on a full tmpfs, 2026-12-06).
    const atOpen = explainStoreFailure(ioError('SQLITE_IOERR_SHMSIZE'), file, () => 0);
    assert.equal(atOpen?.code, 'store.disk_full');
    assert.match(atOpen!.message, /x\.sqlite is full \(disk I\/O error; 0 KiB free\)\. Free some space; nothing committed is lost\./);
    assert.doesNotMatch(atOpen!.message, /rebuild|Restore/);
    // Another I/O error is a full disk only when the file system has (almost) no room left.
    assert.equal(explainStoreFailure(ioError('SQLITE_IOERR_FSYNC'), file, () => 4096)?.code, 'store.disk_full');
    const withRoom = explainStoreFailure(ioError('SQLITE_IOERR_FSYNC'), file, () => 10 * 1024 * 1024 * 1024);
    assert.equal(withRoom?.code, 'store.io_error');
    assert.match(withRoom!.message, /Restore it from a backup/);
    assert.equal(explainStoreFailure(ioError('SQLITE_IOERR_FSYNC'), file, () => undefined)?.code, 'store.io_error');
    // The real probe answers for the folder the database is in.
    assert.ok((freeBytesAt(dir) ?? -1) > 0);
  });

  it('a folder in place of the file cannot be opened, and says where', () => {
    const file = join(dir, 'a-folder.sqlite');
    fs.mkdirSync(file);
    assert.throws(() => openSqliteStore(file), (error: unknown) => error instanceof StateStoreError && error.message.includes(file));
  });

  it('a database written by a newer version says so, and how to get back', () => {
    const file = join(dir, 'cosell.sqlite');
    openSqliteStore(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(MIGRATIONS.length + 1, 'from-the-future', new Date().toISOString());
    db.close();
    assert.throws(() => openSqliteStore(file), isStoreError('store.schema_too_new', /schema version \d+/, /Upgrade cosell-connector/, new RegExp(`copy the file as it was before the upgrade over it: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.schema-${MIGRATIONS.length}\\.bak`)));
  });

  it('a read-only command refuses a missing file instead of creating one', () => {
    const file = join(dir, 'never.sqlite');
    assert.throws(() => openSqliteStore(file, { mustExist: true }), isStoreError('store.missing', /no state database at .*never\.sqlite yet/));
    assert.equal(existsSync(file), false);
  });

  it('a backup is a consistent, owner-only copy that includes commits still in the WAL, and never overwrites', async () => {
    const file = join(dir, 'cosell.sqlite');
    const store = openSqliteStore(file);
    store.putLink(makeLink(1));
    store.putLink(makeLink(2));
    // The store stays open: those commits are in the write-ahead log, not yet in the main file.
    const report = await backupSqliteStore(file, join(dir, 'backup.sqlite'));
    assert.equal(report.ok, true);
    assert.equal(statSync(join(dir, 'backup.sqlite')).mode & 0o777, 0o600);
    const copy = openSqliteStore(join(dir, 'backup.sqlite'));
    try {
      assert.equal(copy.listLinks({}).length, 2);
    } finally {
      copy.close();
      store.close();
    }
    await assert.rejects(backupSqliteStore(file, join(dir, 'backup.sqlite')), /already exists/);
  });

  it('moving a damaged file aside takes its WAL companions, so a new file starts clean', () => {
    const file = join(dir, 'cosell.sqlite');
    const store = openSqliteStore(file);
    store.putLink(makeLink(1));
    const moved = moveSqliteStoreAside(file, 'replaced-test');
    store.close();
    assert.equal(moved, `${file}.replaced-test`);
    assert.equal(existsSync(file), false);
    const fresh = openSqliteStore(file);
    try {
      assert.equal(fresh.listLinks({}).length, 0);
    } finally {
      fresh.close();
    }
    assert.equal(moveSqliteStoreAside(join(dir, 'nothing.sqlite'), 'x'), undefined);
  });
});

