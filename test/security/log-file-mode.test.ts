/**
 * The log file (`logging.file`) stays readable by its owner only. It was created 0600, but an existing file
 * (made by an older version, or by logrotate's `create` with a looser mode at each rotation) kept its mode:
 * deal names, customers and contacts' emails readable by every user of the machine, and nothing said so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger, logFileOf } from '../../core/logger.js';

const modeOf = (file: string) => statSync(file).mode & 0o777;

/** What the code under test writes to standard error while `run` runs. */
function stderrOf(run: () => void): string {
  const said: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    said.push(chunk.toString());
    return true;
  }) as typeof process.stderr.write;
  try {
    run();
  } finally {
    process.stderr.write = write;
  }
  return said.join('');
}

describe('the log file is kept owner-only', function () {
  let dir: string;
  let file: string;
  before(function () {
    if (process.platform === 'win32') this.skip();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-log-mode-'));
    file = join(dir, 'cosell.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a new file is created 0600, and nothing is said', () => {
    const said = stderrOf(() => {
      const logger = createLogger({ level: 'info', file });
      logger.info('first');
      logFileOf(logger)!.close();
    });
    assert.equal(modeOf(file), 0o600);
    assert.equal(said, '');
  });

  it("an existing 0644 file is tightened to 0600 when it is opened, and a rotated-in 0644 file (logrotate's create) too; said once, naming the file", () => {
    writeFileSync(file, '', { mode: 0o644 });
    chmodSync(file, 0o644);
    let said = stderrOf(() => {
      const logger = createLogger({ level: 'info', file });
      logger.info('first');
      assert.equal(modeOf(file), 0o600, 'before any line is written');
      const watched = logFileOf(logger)!;
      renameSync(file, `${file}.1`);
      writeFileSync(file, '', { mode: 0o644 });
      chmodSync(file, 0o644);
      assert.equal(watched.reopenIfMoved(), true);
      logger.info('after rotation');
      watched.close();
    });
    assert.equal(modeOf(file), 0o600, 'the file logrotate made');
    assert.deepEqual(readFileSync(file, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg), ['after rotation']);
    const lines = said.trim().split('\n');
    assert.equal(lines.length, 1, said);
    assert.match(lines[0]!, new RegExp(`the log file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} could be read by other users \\(mode 0644\\); it is now 0600`));
    assert.match(lines[0]!, /create 0600/);
    said = stderrOf(() => logFileOf(createLogger({ level: 'info', file }))!.close());
    assert.equal(said, '', 'an owner-only file says nothing');
  });

  it('a looser file another user owns cannot be tightened: said once, with the command that fixes it', function () {
    // Only root can give a file to another user; the connector then runs as that user (nobody).
    if (process.getuid?.() !== 0) this.skip();
    chmodSync(dir, 0o777);
    writeFileSync(file, '', { mode: 0o666 });
    chmodSync(file, 0o666);
    const module = resolve('core/log-file-mode.ts');
    const script = `import('${module}').then(({ ownerOnlyLogFile }) => { const fs = require('node:fs'); const fd = fs.openSync(${JSON.stringify(file)}, 'a'); const check = ownerOnlyLogFile(${JSON.stringify(file)}, (m) => console.log(m)); check(fd); check(fd); })`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    const lines = child.stdout.trim().split('\n');
    assert.equal(lines.length, 1, child.stdout);
    assert.match(lines[0]!, /can be read by other users \(mode 0666\) and this process cannot change it \(EPERM: another user owns it\): run chmod 600 /);
    assert.equal(modeOf(file), 0o666);
  });
});
