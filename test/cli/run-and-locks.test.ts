/**
 * The background sync as an admin runs it: `cosell run` keeps going turn after turn and stops cleanly on
 * SIGTERM; a `sync --once` killed with SIGKILL or stopped with SIGTERM never locks the next run out; a
 * held lock makes a turn wait, not fail; `cosell unlock` refuses a live holder. All through the real
 * binary against the sandboxes.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startCliWorld, startCosell, waitFor, type CliWorld } from '../helpers/cli.js';

const runLines = (stdout: string) => stdout.split('\n').filter((line) => /^(OK|FAILED|PARTIAL|PAUSED) \d{4}-/.test(line));

describe('cosell run and the runner lock (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  before(async () => {
    world = await startCliWorld('salesforce');
  });
  after(async () => world?.close());
  afterEach(() => world.set.salesforce.faults.configure(undefined));
  const referralsFor = (crmId: string) => world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.externalReferenceId === crmId).length;

  it('cosell run --interval 0.1 runs turn after turn and exits 0 on SIGTERM, releasing the lock', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Timer deal'));
    const run = world.startCli(['run', '--interval', '0.1']);
    await waitFor(() => runLines(run.output().stdout).length >= 3, 60_000, 'three runs');
    run.child.kill('SIGTERM');
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Syncing every 0\.1 minute\(s\)/);
    assert.match(result.stdout, /Stopped\.\s*$/);
    assert.ok(runLines(result.stdout).every((line) => line.startsWith('OK')), result.stdout);
    assert.equal(world.runtime.store.lockHolder(), undefined, 'the lock is free after the stop');
    assert.equal(referralsFor(crmId), 1, 'the first turn created the referral once; later turns did not again');
  });

  it('refuses an interval that is not a positive number of minutes, with exit 2', async () => {
    for (const interval of ['abc', '-1']) {
      const result = await world.cli(['run', '--interval', interval]);
      assert.equal(result.code, 2, `--interval "${interval}": ${result.stderr}`);
      assert.match(result.stderr, /--interval/);
    }
  });

  it('a turn that finds the lock held waits for the next turn instead of exiting, then runs', async () => {
    // A live holder: this test process, on this host.
    assert.equal(world.runtime.store.acquireLock('manual@test', Date.now(), 60_000, { pid: process.pid, host: hostname() }), true);
    const run = world.startCli(['run', '--interval', '0.05']);
    try {
      await waitFor(() => /Skipped this turn: another sync holds the lock: manual@test/.test(run.output().stdout), 30_000, 'a skipped turn');
      world.runtime.store.releaseLock('manual@test');
      await waitFor(() => runLines(run.output().stdout).length >= 1, 30_000, 'a run after the lock was freed');
    } finally {
      world.runtime.store.releaseLock('manual@test');
      run.child.kill('SIGTERM');
    }
    assert.equal((await run.done).code, 0);
  });

  it('after sync --once is killed with SIGKILL mid-run, the next sync --once runs at once and marks the killed run failed', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Killed mid-run'));
    world.set.salesforce.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 60_000, match: 'query' });
    const sync = world.startCli(['sync', '--once']);
    await waitFor(() => world.runtime.store.lockHolder() !== undefined, 30_000, 'the child to take the lock');
    const holder = world.runtime.store.lockHolder()!;
    assert.equal(holder.pid, sync.child.pid, 'the lock names the holder process');
    assert.equal(holder.host, hostname());
    await waitFor(() => world.runtime.store.listRuns(1)[0]?.finishedAt === undefined && world.runtime.store.listRuns(1).length > 0, 30_000, 'the run to start');
    sync.child.kill('SIGKILL');
    assert.equal((await sync.done).signal, 'SIGKILL');
    assert.ok(world.runtime.store.lockHolder(), 'a killed process leaves its lock behind');

    world.set.salesforce.faults.configure(undefined);
    const next = await world.cli(['sync', '--once']);
    assert.equal(next.code, 0, `${next.stdout}\n${next.stderr}`);
    assert.match(next.stderr, /Took over the runner lock from sync@.*no longer exists/);
    const status = JSON.parse((await world.cli(['status', '--json'])).stdout) as { runs: { outcome?: string; message?: string }[]; lock: unknown };
    assert.equal(status.lock, null);
    assert.ok(status.runs.every((r) => r.outcome !== undefined), 'no run shows as running');
    assert.ok(status.runs.some((r) => r.outcome === 'failed' && /Interrupted/.test(r.message ?? '')), 'the killed run is marked failed');
    assert.equal(referralsFor(crmId), 1);
  });

  it('SIGTERM to a busy sync --once finishes the current page, releases the lock and exits 4; the next run continues', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Stopped politely'));
    world.set.salesforce.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 2_000, match: 'query' });
    // A grace period no loaded machine outlasts: this is the stop that finishes its page (stop-grace.test.ts has the other).
    const patient = world.configVariant('patient', (config) => ({ ...config, sync: { ...config.sync, stopGraceSeconds: 600 } }));
    const sync = startCosell(['-c', patient, 'sync', '--once']);
    await waitFor(() => world.runtime.store.lockHolder() !== undefined, 30_000, 'the child to take the lock');
    sync.child.kill('SIGTERM');
    const result = await sync.done;
    assert.equal(result.code, 4, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /PARTIAL .*\n.*Stopped on request \(SIGTERM\)/);
    assert.equal(world.runtime.store.lockHolder(), undefined);
    world.set.salesforce.faults.configure(undefined);
    const next = await world.cli(['sync', '--once']);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(referralsFor(crmId), 1);
  });

  it('cosell unlock refuses while the holder is alive and releases a lock whose process is gone', async () => {
    world.runtime.store.acquireLock('alive@test', Date.now(), 60_000, { pid: process.pid, host: hostname() });
    const refused = await world.cli(['unlock']);
    assert.equal(refused.code, 6);
    assert.match(refused.stderr, /held by a live sync \(alive@test/);
    world.runtime.store.releaseLock('alive@test');

    const gone = 2 ** 22 + 12_345; // above Linux's default pid_max: no such process
    world.runtime.store.acquireLock('gone@test', Date.now(), 60_000, { pid: gone, host: hostname() });
    const released = await world.cli(['unlock']);
    assert.equal(released.code, 0, released.stderr);
    assert.match(released.stdout, new RegExp(`Released the runner lock held by gone@test \\(process ${gone}`));
    assert.equal(world.runtime.store.lockHolder(), undefined);
    assert.equal((await world.cli(['unlock'])).stdout.trim(), 'Nobody holds the runner lock.');
  });
});
