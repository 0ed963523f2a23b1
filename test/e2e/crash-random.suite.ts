/**
 * Real crashes at random moments: `cosell sync --once` runs as a child process against the test's
 * sandboxes (half the deals opted in in the CRM, half already referrals in Partner Center, plus edits
 * and new deals on both sides between runs) and is killed with SIGKILL after a random number of
 * requests to the sandboxes, again and again. Then the test syncs in-process until quiet: no duplicate on
 * either side (one referral per CRM record, one CRM record per referral), nothing lost (both sides agree
 * on every open deal, every referral keeps its solutions), and a further sync writes nothing (issue 11).
 *
 * Size and randomness (the seed is printed, so a failure replays the same kill points and edits):
 *   COSELL_CRASH_DEALS=1500 COSELL_CRASH_KILLS=10 COSELL_CRASH_SEED=42 \
 *     npx mocha --no-config -n import=tsx --timeout 0 --exit test/e2e/crash-random.test.ts
 * `npm test` runs 300 deals × 10 kills per CRM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedCrmDeals } from '../../bench/seed.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { seeded } from '../../sandbox/common/faults.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';

const BIN = fileURLToPath(new URL('../../bin/cosell.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CrashOptions {
  deals: number;
  kills: number;
  seed: number;
}

export function crashOptionsFromEnv(defaultSeed: number): CrashOptions {
  const number = (name: string, fallback: number) => {
    const raw = process.env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}"`);
    return value;
  };
  return { deals: number('COSELL_CRASH_DEALS', 300), kills: number('COSELL_CRASH_KILLS', 10), seed: number('COSELL_CRASH_SEED', defaultSeed) };
}

/** Requests both sandboxes the child talks to have answered so far. */
function requestCount(world: World): number {
  const crm = world.kind === 'salesforce' ? world.set.salesforce.counters : world.set.dataverse.counters;
  return world.set.partnerCenter.counters.total() + crm.total();
}

/**
 * Until `sync` heals a dead holder's lock by itself (issue 11 item 2, in progress), the killed child's
 * lock is broken here as `cosell unlock` will, so that the next child is not turned away.
 */
function breakDeadLock(world: World): void {
  const holder = world.runtime.store.lockHolder();
  if (holder) world.runtime.store.breakLock(holder.owner, holder.heartbeatMs);
}

/** Sellers and Partner Center users at work between two runs: edits on both sides and new deals. */
async function workBetweenRuns(world: World, random: () => number, round: number, deals: number): Promise<void> {
  const records = await world.seller.allRecords();
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  for (let i = 0; i < deals / 10; i += 1) {
    const crmId = pick(records);
    const view = await world.seller.read(crmId);
    if (view.isClosed) continue;
    await world.seller.edit(crmId, random() < 0.5 ? { notes: `crm ${round}.${i}` } : { value: 1_000 + Math.floor(random() * 90_000) });
  }
  const open = world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.status !== 'Closed');
  for (let i = 0; i < deals / 10 && open.length > 0; i += 1) {
    const referral = pick(open);
    world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referral.id, (json) => ({ ok: true, value: { ...json, details: { ...json.details, notes: `pc ${round}.${i}` } } }));
  }
  for (let i = 0; i < deals / 50; i += 1) await world.seller.createDeal(dealSpec(`Crash ${round}.${i}`));
  for (let i = 0; i < deals / 50; i += 1) world.microsoft.sendReferral({ deal: { dealName: `Crash inbound ${round}.${i}` } });
}

/** Runs `cosell sync --once` as a child and kills it once the sandboxes have answered `after` more requests. */
async function syncAndKill(world: World, configFile: string, after: number): Promise<{ killed: boolean; code: number | null; requests: number }> {
  const start = requestCount(world);
  const child = spawn(process.execPath, [BIN, 'sync', '--once', '-c', configFile], { stdio: 'ignore', env: process.env });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => child.on('exit', (code, signal) => resolve(void (exit = { code, signal }))));
  while (!exit && requestCount(world) - start < after) await sleep(5);
  if (!exit) child.kill('SIGKILL');
  await exited;
  return { killed: exit!.signal === 'SIGKILL', code: exit!.code, requests: requestCount(world) - start };
}

export function runRandomCrashSuite(kind: CrmKind, options: CrashOptions): void {
  describe(`cosell sync --once killed at random moments (${kind}, ${options.deals} deals, ${options.kills} kills, seed ${options.seed})`, function () {
    this.timeout(0);
    let world: World;
    before(async () => {
      world = await startWorld(kind);
      world.set.partnerCenter.reset('none', Math.floor(options.deals / 2));
      seedCrmDeals(kind, world.set, Math.ceil(options.deals / 2));
    });
    after(async () => world?.close());

    it('converges with no duplicate, nothing lost, and a further sync writes nothing', async () => {
      const random = seeded(options.seed);
      const configFile = join(world.runtime.config.store.path, '..', 'crash-random.config.json');
      writeFileSync(configFile, JSON.stringify({ ...world.runtime.config, logging: { level: 'silent' } }));
      const outcomes: string[] = [];
      for (let round = 0; round < options.kills; round += 1) {
        if (round > 0) await workBetweenRuns(world, random, round, options.deals);
        breakDeadLock(world);
        const run = await syncAndKill(world, configFile, 1 + Math.floor(random() * options.deals));
        assert.ok(run.killed || run.code === 0, `run ${round} was not killed and exited ${run.code}`);
        outcomes.push(run.killed ? `killed after ${run.requests}` : `finished (${run.requests})`);
      }
      // Said with every failure below, with the seed in the suite's title: COSELL_CRASH_SEED replays it.
      const story = `runs: ${outcomes.join('; ')}`;
      assert.ok(outcomes.some((o) => o.startsWith('killed')), `at least one run was killed mid-way (${story})`);
      breakDeadLock(world);

      const reports = await world.syncToQuiet({}, 8);
      const last = reports[reports.length - 1]!;
      assert.equal(last.outcome, 'ok', `${last.message} (${story})`);
      assert.equal(last.writes, 0, `not quiet after ${reports.length} syncs: ${JSON.stringify(last.counts)} (${story})`);
      const further = await world.sync();
      assert.equal(further.writes, 0, `a further sync wrote: ${JSON.stringify(further.counts)} (${story})`);

      const ours = world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG);
      const records = await world.seller.allRecords();
      for (const crmId of records) {
        const claims = ours.filter((r) => r.externalReferenceId === crmId);
        assert.ok(claims.length <= 1, `CRM record ${crmId} has ${claims.length} referrals`);
      }
      for (const referral of ours) {
        const linked = await world.seller.recordsForReferral(referral.id);
        assert.equal(linked.length, 1, `referral ${referral.id} has ${linked.length} CRM records`);
        assert.ok((referral.details?.requirements?.solutions?.length ?? 0) > 0, `referral ${referral.id} lost its solutions`);
        if (referral.status === 'Closed') continue; // a closed deal takes no more changes from the CRM
        const view = await world.seller.read(linked[0]!);
        assert.equal(view.referralId, referral.id);
        assert.equal(Number(referral.details?.dealValue), view.value, `value differs for ${linked[0]}`);
        assert.equal(referral.details?.notes ?? '', view.notes ?? '', `notes differ for ${linked[0]}`);
      }
      assert.equal(world.runtime.store.listIntents().length, 0, 'no create intent left behind');
      assert.equal(ours.length, world.runtime.store.countLinks().active, 'every referral linked once');
    });
  });
}
