/**
 * `cosell run` follows its config file (the real binary, Salesforce sandbox). It read the file once, so an
 * admin's edit (a conflict policy, a stage mapping) changed nothing, silently, until a restart. Now an edit
 * is used from the next turn, naming the keys that changed; an edit that does not load is reported once
 * and the turns go on with the settings they had.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceFile, startCliWorld, waitFor, type CliWorld } from '../helpers/cli.js';

const runLines = (stdout: string) => stdout.split('\n').filter((line) => /^(OK|FAILED|PARTIAL|PAUSED) \d{4}-/.test(line)).length;

describe('cosell run picks up an edited config at its next turn (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  before(async () => {
    world = await startCliWorld('salesforce');
  });
  after(async () => world?.close());

  it('uses a valid edit from the next turn, reports a broken one and keeps running, and stops with the edited settings', async () => {
    const original = readFileSync(world.configFile, 'utf8');
    const config = JSON.parse(original) as { sync: Record<string, unknown> };
    const run = world.startCli(['run', '--interval', '0.02']);
    try {
      await waitFor(() => runLines(run.output().stdout) >= 1, 60_000, 'a first run');
      replaceFile(world.configFile, JSON.stringify({ ...config, sync: { ...config.sync, conflictPolicy: 'manual', stopGraceSeconds: 3 } }));
      await waitFor(() => /changed \(sync\.conflictPolicy, sync\.stopGraceSeconds\): used from this run on\./.test(run.output().stdout), 60_000, 'the edit taken');

      replaceFile(world.configFile, JSON.stringify({ ...config, sync: { ...config.sync, conflictPolicy: 'whoever-shouts' } }));
      // The line and the error under it are two writes: they may reach this process in two reads.
      await waitFor(() => /changed but cannot be used; this run keeps the settings it had[\s\S]*\n.*\S/.test(run.output().stderr), 60_000, 'the broken edit reported');
      await waitFor(() => /cannot be used[\s\S]*conflictPolicy/.test(run.output().stderr), 10_000, 'the error naming the key');
      const before = runLines(run.output().stdout);
      await waitFor(() => runLines(run.output().stdout) >= before + 2, 60_000, 'turns going on');
      assert.equal(run.output().stderr.match(/cannot be used/g)?.length, 1, 'reported once, not at every turn');
    } finally {
      replaceFile(world.configFile, original);
    }
    await waitFor(() => /changed \(sync\.conflictPolicy, sync\.stopGraceSeconds\): used from this run on\.[\s\S]*changed \(sync\.conflictPolicy, sync\.stopGraceSeconds\)/.test(run.output().stdout), 60_000, 'the restored file taken');
    run.child.kill('SIGTERM');
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /SIGTERM: stopping after the current page \(at most 8 s\)\./, 'the settings in use when stopped');
  });
});

/** The descriptors a process holds open on one file (Linux /proc). */
function descriptorsOn(pid: number, file: string): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
    } catch {
      return false; // closed while we looked
    }
  }).length;
}

describe('cosell run with a log file lets go of the old one at each config edit (the real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  let dir: string;
  before(async () => {
    world = await startCliWorld('salesforce');
    dir = mkdtempSync(join(tmpdir(), 'cosell-run-log-'));
  });
  after(async () => {
    await world?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds one descriptor on the log file after three edits (each edit opened it again and kept the old one open)', async () => {
    const original = readFileSync(world.configFile, 'utf8');
    const logFile = join(dir, 'cosell.log');
    const config = JSON.parse(original) as { sync: Record<string, unknown>; logging?: Record<string, unknown> };
    const withLog = (interval: number) => JSON.stringify({ ...config, logging: { ...config.logging, level: 'debug', file: logFile }, sync: { ...config.sync, stopGraceSeconds: interval } });
    replaceFile(world.configFile, withLog(5));
    const run = world.startCli(['run', '--interval', '0.02']);
    try {
      await waitFor(() => runLines(run.output().stdout) >= 1, 60_000, 'a first run');
      for (const [index, grace] of [6, 7, 8].entries()) {
        replaceFile(world.configFile, withLog(grace));
        await waitFor(() => (run.output().stdout.match(/used from this run on/g)?.length ?? 0) >= index + 1, 60_000, `edit ${index + 1} taken`);
      }
      // The old file's close is asynchronous (sonic-boom fsyncs, then closes).
      await waitFor(() => descriptorsOn(run.child.pid!, logFile) === 1, 10_000, 'one descriptor on the log file');
      assert.equal(descriptorsOn(run.child.pid!, logFile), 1);
      assert.ok(existsSync(logFile) && readFileSync(logFile, 'utf8').length > 0, 'the log file is written');
    } finally {
      replaceFile(world.configFile, original);
      run.child.kill('SIGTERM');
      await run.done;
    }
  });
});
