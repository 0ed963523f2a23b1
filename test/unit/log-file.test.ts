/**
 * The log file kept writable across rotation (core/log-file.ts). logrotate's usual `create` renames the
 * file: the process went on appending to the renamed copy and the new file stayed empty.
 */
import assert from 'node:assert/strict';
import { existsSync, fstatSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { WatchedLogFile } from '../../core/log-file.js';
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
