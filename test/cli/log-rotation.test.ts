/**
 * `cosell run` with `logging.file` under log rotation (the real binary, Salesforce sandbox). logrotate's
 * usual set-up renames the file and sends SIGHUP from `postrotate`: the signal ended the process (Node's
 * default for SIGHUP), and without it the process went on writing to the renamed file while the new one
 * stayed empty.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeLines, startCliWorld, startCosell, waitFor, type CliWorld } from '../helpers/cli.js';

const runLines = (stdout: string) => stdout.split('\n').filter((line) => /^(OK|FAILED|PARTIAL|PAUSED) \d{4}-/.test(line)).length;
// The child writes its log while this reads it, and a line can be read half-written (a write that crosses
// a page of the file shows its first part first): only lines ended by their newline are parsed.
const logMessages = (file: string) => (existsSync(file) ? completeLines(readFileSync(file, 'utf8')).filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg) : []);

describe('cosell run and serve writing their log to a file that is rotated (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  let dir: string;
  let logFile: string;
  let configFile: string;
  before(async () => {
    world = await startCliWorld('salesforce');
    dir = mkdtempSync(join(tmpdir(), 'cosell-rotate-'));
    logFile = join(dir, 'cosell.log');
    configFile = world.configVariant('logfile', (config) => ({ ...config, logging: { level: 'debug', file: logFile } }));
  });
  after(async () => {
    await world?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps running on SIGHUP and writes to the new file; a file renamed without a signal is followed within seconds', async () => {
    const run = startCosell(['-c', configFile, 'run', '--interval', '0.02']);
    try {
      await waitFor(() => runLines(run.output().stdout) >= 1, 60_000, 'a first run');
      await waitFor(() => logMessages(logFile).length > 0, 10_000, `a first run logged: ${run.output().stderr}`);

      renameSync(logFile, `${logFile}.1`);
      run.child.kill('SIGHUP');
      await waitFor(() => logMessages(logFile).includes('SIGHUP: log file opened again'), 20_000, 'the log file opened again on SIGHUP');
      const turns = runLines(run.output().stdout);
      await waitFor(() => runLines(run.output().stdout) >= turns + 1, 60_000, 'a turn after SIGHUP');
      assert.equal(run.child.exitCode, null, 'still running after SIGHUP');
      const rotated = logMessages(`${logFile}.1`).length;

      // `create` without postrotate: nobody signals; the watch notices the renamed file by itself.
      renameSync(logFile, `${logFile}.2`);
      await waitFor(() => logMessages(logFile).length > 0, 30_000, 'a new log file after a rename without a signal');
      assert.equal(logMessages(`${logFile}.1`).length, rotated, 'nothing more written to the first rotated file');
    } finally {
      run.child.kill('SIGTERM');
    }
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /SIGTERM: stopping/);
  });

  it('cosell serve keeps running on SIGHUP and logs to the new file', async () => {
    // Port 0, the port it got read from its output: a port found free here and passed to the child could
    // be taken by another process on the machine before the child listened on it.
    const serve = startCosell(['-c', configFile, 'serve', '--port', '0', '--poll-interval', '60']);
    try {
      let base = '';
      await waitFor(() => Boolean((base = /^Listening on (http:\/\/127\.0\.0\.1:\d+):/m.exec(serve.output().stdout)?.[1] ?? '')), 60_000, 'serve listening');
      await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 60_000, 'serve ready');
      renameSync(logFile, `${logFile}.serve`);
      serve.child.kill('SIGHUP');
      await waitFor(() => logMessages(logFile).includes('SIGHUP: log file opened again'), 20_000, 'the log file opened again on SIGHUP');
      assert.equal((await fetch(`${base}/healthz`)).status, 200, 'still serving after SIGHUP');
    } finally {
      serve.child.kill('SIGTERM');
    }
    const result = await serve.done;
    assert.equal(result.code, 0, result.stderr);
  });

  it('without a log file SIGHUP keeps its default: a terminal that hangs up ends cosell run', async () => {
    const run = world.startCli(['run', '--interval', '0.02']);
    await waitFor(() => runLines(run.output().stdout) >= 1, 60_000, 'a first run');
    run.child.kill('SIGHUP');
    const result = await run.done;
    assert.equal(result.signal, 'SIGHUP', `${result.code} ${result.stderr}`);
  });
});
