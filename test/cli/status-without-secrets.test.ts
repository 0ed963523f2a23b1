/**
 * `cosell status` and `cosell conflicts list` read the state store only, so an operator runs them from a
 * shell that does not hold the service's secrets (systemd's EnvironmentFile, a container's secrets). They
 * refused with exit 2 when COSELL_TOKEN_KEY was not set, naming a key they never use.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { cosell, startCliWorld, waitFor, type CliWorld } from '../helpers/cli.js';

describe('store-only commands need no secret (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  let secretless: string;
  /** Neither the token cache's key nor the CRM's private key is available to the command. */
  const noSecrets = { COSELL_TOKEN_KEY: '' };

  before(async () => {
    world = await startCliWorld('salesforce');
    await world.seller.createDeal(dealSpec('Status without secrets'));
    await world.syncToQuiet();
    secretless = world.configVariant('secretless', (config) => {
      const salesforce = config.crm.salesforce as { auth: Record<string, unknown> };
      return { ...config, crm: { ...config.crm, salesforce: { ...salesforce, auth: { ...salesforce.auth, privateKey: 'env:COSELL_TEST_NOT_SET' } } } };
    });
  });
  after(async () => world?.close());

  it('cosell status reports the runs and links without COSELL_TOKEN_KEY or the CRM secret', async () => {
    const result = await cosell(['-c', secretless, 'status', '--json'], { env: noSecrets });
    assert.equal(result.code, 0, result.stderr);
    const status = JSON.parse(result.stdout) as { runs: unknown[] };
    assert.ok(status.runs.length > 0, 'the runs are listed');
  });

  it('cosell status says how fresh the sync is, and that the timer stopped when the newest run is days old', async () => {
    const fresh = await cosell(['-c', secretless, 'status'], { env: noSecrets });
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stdout, /Newest run started (under a minute|\d+ min) ago; last successful run: \d+, started/);
    assert.doesNotMatch(fresh.stdout, /No run has started/);
    // The newest run, as a timer that stopped two days ago left it.
    const store = world.runtime.store;
    const old = store.startRun(new Date(Date.now() - 2 * 86_400_000).toISOString());
    store.finishRun(old.id, { outcome: 'ok', finishedAt: new Date(Date.now() - 2 * 86_400_000 + 5_000).toISOString(), counts: {} });
    const stale = await cosell(['-c', secretless, 'status'], { env: noSecrets });
    assert.equal(stale.code, 0, stale.stderr);
    assert.match(stale.stdout, /Newest run started 2 d ago/);
    assert.match(stale.stdout, /No run has started for 2 d, though runs are due every \d+(\.\d+)? minute\(s\) \(sync\.intervalMinutes\): if `cosell run` should be running, it is not/);
    const json = JSON.parse((await cosell(['-c', secretless, 'status', '--json'], { env: noSecrets })).stdout) as { freshness: { silentMinutes?: number; lastSuccessful?: { id: number } } };
    assert.ok((json.freshness.silentMinutes ?? 0) >= 2 * 1440, JSON.stringify(json.freshness));
    assert.equal(json.freshness.lastSuccessful?.id, old.id);
  });

  it("judges a stopped timer by the --interval the last cosell run used, not only the config's", async () => {
    const run = world.startCli(['run', '--interval', '60']);
    await waitFor(() => /Next run at/.test(run.output().stdout), 60_000, 'a first turn');
    run.child.kill('SIGTERM');
    assert.equal((await run.done).code, 0);
    // The newest run 45 minutes old: silent for a 5-minute timer, on time for an hourly one.
    const store = world.runtime.store;
    const older = store.startRun(new Date(Date.now() - 45 * 60_000).toISOString());
    store.finishRun(older.id, { outcome: 'ok', finishedAt: new Date(Date.now() - 45 * 60_000 + 5_000).toISOString(), counts: {} });
    const status = await cosell(['-c', secretless, 'status', '--json'], { env: noSecrets });
    const json = JSON.parse(status.stdout) as { freshness: { silentMinutes?: number }; interval: { minutes: number; source: string } };
    assert.deepEqual(json.interval, { minutes: 60, source: 'the --interval of the last cosell run' });
    assert.equal(json.freshness.silentMinutes, undefined, JSON.stringify(json.freshness));
  });

  it("judges a stopped timer by the engine's clock, Partner Center's, when this machine's is off", async () => {
    // Partner Center's clock is 3 hours ahead of this machine's: the engine keeps to it (core/service-clock.ts)
    // and stamps its runs with it. Status read them against this machine's clock: a timer stopped four hours
    // ago (by the hourly --interval the test before left) read as stopped one hour ago, on time.
    world.set.clock.advance(3 * 3_600_000);
    const synced = await world.cli(['sync', '--once']);
    assert.equal(synced.code, 0, synced.stderr);
    const store = world.runtime.store;
    const offset = store.getMeta('clock.partner-center-offset-ms') as number;
    assert.ok(Math.abs(offset - 3 * 3_600_000) < 60_000, `the engine follows Partner Center's clock (${offset})`);
    const stoppedAt = Date.now() + offset - 4 * 3_600_000;
    const last = store.startRun(new Date(stoppedAt).toISOString());
    store.finishRun(last.id, { outcome: 'ok', finishedAt: new Date(stoppedAt + 5_000).toISOString(), counts: {} });
    const status = await cosell(['-c', secretless, 'status'], { env: noSecrets });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Newest run started (4 h|3 h 59 min) ago/);
    assert.match(status.stdout, /No run has started for (4 h|3 h 59 min), though runs are due every 60 minute/);
  });

  it('cosell conflicts list answers without them too', async () => {
    const result = await cosell(['-c', secretless, 'conflicts', 'list'], { env: noSecrets });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'No open conflicts.');
  });

  it('a command that signs in still names the missing key (sync --once: exit 2)', async () => {
    const result = await world.cli(['sync', '--once'], noSecrets);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /COSELL_TOKEN_KEY is not set/);
  });
});
