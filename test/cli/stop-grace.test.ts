/**
 * A stop that cannot finish its page in time (the real binary, Salesforce sandbox). Docker sends SIGKILL
 * 10 s after its SIGTERM; a page waiting on a CRM that stopped answering used to hold the stop for as
 * long as the call's timeout (minutes), so the supervisor killed the process with the lock still held.
 * With `sync.stopGraceSeconds`, the stop leaves that page for the next run, says so, marks the run and
 * releases the lock.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startCosell, startCliWorld, waitFor, type CliChild, type CliResult, type CliWorld } from '../helpers/cli.js';

/** The child's result, or a failure when it has not exited within `ms` (the old code waited out the hung call). */
async function exitWithin(child: CliChild, ms: number): Promise<CliResult & { ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM:\n${child.output().stdout}\n${child.output().stderr}`)), ms);
  });
  try {
    const result = await Promise.race([child.done, late]);
    return { ...result, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    child.child.kill('SIGKILL');
  }
}

describe('a stop that outlasts sync.stopGraceSeconds (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  let configFile: string;
  before(async () => {
    world = await startCliWorld('salesforce');
    configFile = world.configVariant('grace', (config) => ({ ...config, sync: { ...config.sync, stopGraceSeconds: 2 } }));
  });
  after(async () => world?.close());
  afterEach(() => world.set.salesforce.faults.configure(undefined));
  const referralsFor = (crmId: string) => world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.externalReferenceId === crmId).length;
  const statusRuns = async () => (JSON.parse((await world.cli(['status', '--json'])).stdout) as { runs: { outcome?: string; message?: string }[]; lock: unknown });

  /** Starts `cosell ARGS` on the 2-second grace config with the CRM hanging, and waits for its run to begin. */
  async function startHung(args: string[]): Promise<CliChild> {
    world.set.salesforce.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 60_000, match: 'query' });
    const child = startCosell(['-c', configFile, ...args]);
    await waitFor(() => world.runtime.store.lockHolder() !== undefined, 30_000, 'the child to take the lock');
    await waitFor(() => world.set.salesforce.faults.injectedCount() > 0, 30_000, 'a CRM call to hang');
    return child;
  }

  it('sync --once stopped while its CRM call hangs ends within the grace period: exit 4, run marked, lock free, the next run redoes the page', async () => {
    const crmId = await world.seller.createDeal(dealSpec('Stopped while hung'));
    const sync = await startHung(['sync', '--once']);
    sync.child.kill('SIGTERM');
    const result = await exitWithin(sync, 20_000);
    assert.equal(result.code, 4, `${result.stdout}\n${result.stderr}`);
    assert.ok(result.ms < 10_000, `ended ${result.ms} ms after SIGTERM`);
    assert.match(result.stderr, /the page did not finish within 2 s \(sync\.stopGraceSeconds\)\. It was left uncommitted; the next run redoes it\./);
    assert.equal(world.runtime.store.lockHolder(), undefined, 'the lock is released, not left to age');
    const status = await statusRuns();
    assert.match(status.runs[0]?.message ?? '', /^Stopped: SIGTERM asked for a stop/);
    assert.equal(status.runs[0]?.outcome, 'failed');

    world.set.salesforce.faults.configure(undefined);
    const next = await world.cli(['sync', '--once']);
    assert.equal(next.code, 0, `${next.stdout}\n${next.stderr}`);
    assert.doesNotMatch(next.stderr, /Took over the runner lock/);
    assert.equal(referralsFor(crmId), 1, 'the redone page created the referral once');
  });

  it('cosell run stopped while its CRM call hangs exits 0 within the grace period and frees the lock', async () => {
    const run = await startHung(['run', '--interval', '5']);
    run.child.kill('SIGTERM');
    const result = await exitWithin(run, 20_000);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /SIGTERM: stopping after the current page \(at most 2 s\)\./);
    assert.match(result.stderr, /did not finish within 2 s/);
    assert.equal(world.runtime.store.lockHolder(), undefined);
    assert.equal((await statusRuns()).lock, null);
  });
});
