/**
 * Files the connector writes that hold customer data or what it logs are created readable by their owner
 * only (0600), whatever the umask would give; a file that exists keeps its mode (never widened). Exports
 * and import results (`cosell export|import`, `cosell tenants export|import`), the log file, and state
 * backups, which are 0600 from their first byte, not once the copy is done.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openOutputFile, openReplacingFile, writeCustomerFile } from '../../core/cli/commands/csv-files.js';
import { createLogger, logFileOf } from '../../core/logger.js';
import { openSqliteStore } from '../../core/store/index.js';
import { backupSqliteStore } from '../../core/store/sqlite-maintenance.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('files holding customer data or logs', () => {
  let dir = '';
  let umask = 0;
  before(function () {
    if (process.platform === 'win32') this.skip();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-customer-files-'));
    // The usual umask, which gives a file created with the default mode 0644.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an export or results file is created 0600; an existing one keeps its mode', async () => {
    const created = join(dir, 'export.csv');
    const stream = await openOutputFile(created, '--out');
    await new Promise<void>((done) => stream.end('Deal Name\nContoso\n', done));
    assert.equal(modeOf(created), 0o600);

    writeCustomerFile(join(dir, 'tenant-export.csv'), 'Deal Name\nContoso\n');
    assert.equal(modeOf(join(dir, 'tenant-export.csv')), 0o600, "a worker's export, written by `cosell tenants export`");

    const shared = join(dir, 'shared.csv');
    writeFileSync(shared, '');
    chmodSync(shared, 0o640);
    writeCustomerFile(shared, 'Deal Name\nContoso\n');
    const reopened = await openOutputFile(shared, '--results');
    await new Promise<void>((done) => reopened.end('x\n', done));
    assert.equal(modeOf(shared), 0o640, 'the mode its owner chose');
    const narrow = join(dir, 'narrow.csv');
    writeFileSync(narrow, '', { mode: 0o400 });
    chmodSync(narrow, 0o600);
    writeCustomerFile(narrow, 'x');
    assert.equal(modeOf(narrow), 0o600, 'never widened');
  });

  it('a file written beside its place and moved there is 0600 when new, and keeps the mode of the one it replaces', async () => {
    const created = join(dir, 'results.csv');
    const fresh = await openReplacingFile(created, '--results');
    fresh.stream.write('Deal Name\nContoso\n');
    await fresh.commit();
    assert.equal(modeOf(created), 0o600);
    chmodSync(created, 0o640);
    const again = await openReplacingFile(created, '--results');
    again.stream.write('x\n');
    await again.commit();
    assert.equal(modeOf(created), 0o640, 'the mode its owner chose');
  });

  it('the log file is created 0600', () => {
    const file = join(dir, 'logs', 'cosell.log');
    const logger = createLogger({ level: 'info', file });
    logger.info({ customer: 'Contoso' }, 'a line');
    logFileOf(logger)!.close();
    assert.equal(modeOf(file), 0o600);
  });

  it('a state backup is 0600 while SQLite copies into it, not only once it is done', async () => {
    const file = join(dir, 'cosell.sqlite');
    const store = openSqliteStore(file);
    store.putMeta('probe', { customer: 'Contoso' }, new Date().toISOString());
    store.close();
    const destination = join(dir, 'backup.sqlite');
    const backup = Database.prototype.backup;
    const seen: number[] = [];
    Database.prototype.backup = async function (this: Database.Database, ...args: Parameters<typeof backup>) {
      const result = await backup.apply(this, args);
      seen.push(modeOf(destination)); // the copy holds the customer data now
      return result;
    };
    try {
      await backupSqliteStore(file, destination);
    } finally {
      Database.prototype.backup = backup;
    }
    assert.deepEqual(seen, [0o600]);
    assert.equal(modeOf(destination), 0o600);
    await assert.rejects(backupSqliteStore(file, destination), /already exists; choose a new file name/);
    assert.equal(modeOf(destination), 0o600);
  });
});
