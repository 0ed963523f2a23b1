/**
 * The log file kept writable across rotation (core/log-file.ts). logrotate's usual `create` renames the
 * file: the process went on appending to the renamed copy and the new file stayed empty.
 */
import assert from 'node:assert/strict';
import { existsSync, fstatSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { WatchedLogFile, writesThatNeverThrow } from '../../core/log-file.js';
import { createLogger, logFileOf } from '../../core/logger.js';

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg) : []);

describe('the log file across rotation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the file again at its path after it was renamed (logrotate create), and not while it is the same file', () => {
    const file = join(dir, 'cosell.log');
    const logger = createLogger({ level: 'info', file });
    const watched = logFileOf(logger)!;
    try {
      logger.info('before');
      assert.equal(watched.reopenIfMoved(), false, 'the same file is kept');
      renameSync(file, `${file}.1`);
      logger.info('between');
      assert.equal(watched.reopenIfMoved(), true);
      logger.info('after');
      assert.deepEqual(lines(`${file}.1`), ['before', 'between']);
      assert.deepEqual(lines(file), ['after']);
    } finally {
      watched.stop();
    }
  });

  it('opens the file again after it was removed', () => {
    const file = join(dir, 'cosell.log');
    const logger = createLogger({ level: 'info', file });
    const watched = logFileOf(logger)!;
    try {
      logger.info('first');
      rmSync(file);
      assert.equal(watched.reopenIfMoved(), true);
      logger.info('second');
      assert.deepEqual(lines(file), ['second']);
    } finally {
      watched.stop();
    }
  });

  it('checks by itself on its timer', async () => {
    const file = join(dir, 'timed.log');
    const destination = pino.destination({ dest: file, sync: true });
    const logger = pino({ level: 'info' }, destination);
    const watched = new WatchedLogFile(file, destination, () => fstatSync((destination as unknown as { fd: number }).fd), 20);
    try {
      logger.info('one');
      renameSync(file, `${file}.1`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      logger.info('two');
      assert.deepEqual(lines(file), ['two']);
      assert.deepEqual(lines(`${file}.1`), ['one']);
    } finally {
      watched.stop();
    }
  });

  it('a logger to standard error or a stream has no file to watch', () => {
    assert.equal(logFileOf(createLogger({ level: 'info', destination: process.stderr })), undefined);
  });
});

describe('the log file on a full disk', () => {
  it('a write that fails (ENOSPC on /dev/full) does not throw into what logged, and is reported once', () => {
    const reports: string[] = [];
    const destination = pino.destination({ dest: '/dev/full', sync: true });
    const logger = pino({ level: 'info' }, writesThatNeverThrow(destination, '/dev/full', (message) => reports.push(message)));
    assert.throws(() => pino({ level: 'info' }, pino.destination({ dest: '/dev/full', sync: true })).warn('x'), /ENOSPC/, 'the destination alone throws');
    assert.doesNotThrow(() => {
      logger.warn('first');
      logger.warn('second');
    });
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /cannot write the log file \/dev\/full \(ENOSPC\); its lines are kept in memory \(up to 8 MB, then new ones are dropped\) and written once the file can be written\./);
  });

  it('says so once when writes succeed again', () => {
    const reports: string[] = [];
    let full = true;
    const written: string[] = [];
    const destination = { write: (line: string) => { if (full) throw Object.assign(new Error('no space'), { code: 'ENOSPC' }); written.push(line); return true; }, on: () => destination };
    const writes = writesThatNeverThrow(destination, 'x.log', (message) => reports.push(message));
    writes.write('a');
    full = false;
    writes.write('b');
    writes.write('c');
    assert.deepEqual(written, ['b', 'c']);
    assert.equal(reports.length, 2);
    assert.match(reports[1]!, /x\.log can be written again/);
  });

  it('a line dropped because the kept lines reached their bound is no sign the disk took it (sonic-boom maxLength)', () => {
    const reports: string[] = [];
    const file = join(tmpdir(), `cosell-drop-${process.pid}.log`);
    // A destination that can never write (/dev/full) and keeps at most 200 bytes: past them it drops lines.
    const destination = pino.destination({ dest: '/dev/full', sync: true, maxLength: 200 });
    const writes = writesThatNeverThrow(destination, file, (message) => reports.push(message));
    for (let i = 0; i < 20; i++) writes.write(`${JSON.stringify({ msg: `line ${i}`, pad: 'x'.repeat(40) })}\n`);
    assert.equal(reports.length, 1, reports.join('\n'));
    assert.match(reports[0]!, /cannot write the log file/);
  });
  it('closes the file on close(), and a line logged after it goes to standard error, not reported as a disk problem', async () => {
    const file = join(tmpdir(), `cosell-closed-${process.pid}.log`);
    const logger = createLogger({ level: 'info', file });
    logger.info('kept');
    logFileOf(logger)!.close();
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      // sonic-boom closes after an fsync: wait for the close to land.
      for (let i = 0; i < 100 && !stderr.some((line) => line.includes('late')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        logger.info('late');
      }
    } finally {
      process.stderr.write = write;
    }
    const kept = lines(file);
    rmSync(file, { force: true });
    assert.deepEqual(kept, ['kept']);
    assert.ok(stderr.some((line) => JSON.parse(line).msg === 'late'), stderr.join(''));
    assert.ok(!stderr.some((line) => line.includes('cannot write the log file')), stderr.join(''));
  });
});
