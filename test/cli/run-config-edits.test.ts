/**
 * `cosell run` follows its config file (the real binary, Salesforce sandbox). It read the file once, so an
 * admin's edit (a conflict policy, a stage mapping) changed nothing, silently, until a restart. Now an edit
 * is used from the next turn, naming the keys that changed; an edit that does not load is reported once
 * and the turns go on with the settings they had.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { startCliWorld, waitFor, type CliWorld } from '../helpers/cli.js';

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
      writeFileSync(world.configFile, JSON.stringify({ ...config, sync: { ...config.sync, conflictPolicy: 'manual', stopGraceSeconds: 3 } }));
      await waitFor(() => /changed \(sync\.conflictPolicy, sync\.stopGraceSeconds\): used from this run on\./.test(run.output().stdout), 60_000, 'the edit taken');

      writeFileSync(world.configFile, JSON.stringify({ ...config, sync: { ...config.sync, conflictPolicy: 'whoever-shouts' } }));
      await waitFor(() => /changed but cannot be used; this run keeps the settings it had/.test(run.output().stderr), 60_000, 'the broken edit reported');
      assert.match(run.output().stderr, /conflictPolicy/, 'the error names the key');
      const before = runLines(run.output().stdout);
      await waitFor(() => runLines(run.output().stdout) >= before + 2, 60_000, 'turns going on');
      assert.equal(run.output().stderr.match(/cannot be used/g)?.length, 1, 'reported once, not at every turn');
    } finally {
      writeFileSync(world.configFile, original);
    }
    await waitFor(() => /changed \(sync\.conflictPolicy, sync\.stopGraceSeconds\): used from this run on\.[\s\S]*changed \(sync\.conflictPolicy, sync\.stopGraceSeconds\)/.test(run.output().stdout), 60_000, 'the restored file taken');
    run.child.kill('SIGTERM');
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /SIGTERM: stopping after the current page \(at most 8 s\)\./, 'the settings in use when stopped');
  });
});
