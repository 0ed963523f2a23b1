/**
 * `npm run bench:kill [-- --deals 1500 --kills 10 --crm salesforce|dynamics --seed 7]`: the crash drill from
 * issue 11, through the real binary, against the Salesforce or the Dataverse (Dynamics 365) sandbox. N
 * opted-in deals wait in the CRM (bench/seed.ts, as the benchmark seeds them); `cosell sync --once` is started
 * and killed with SIGKILL at a random moment, ten times in a row, each next sync starting while the
 * killed one's lock is still in the store. Then one `sync --once` must run at once and finish, and one
 * more must write nothing; no deal may have two referrals and no referral two CRM records.
 *
 * Prints one line per kill and a verdict; exits 1 when any check fails. Seeded, so a failure replays.
 */
import { parseArgs } from 'node:util';
import { seeded } from '../sandbox/common/faults.js';
import { OUR_PARTNER_ORG } from '../sandbox/entra/seed.js';
import { startCliWorld, startCosell, waitFor } from '../test/helpers/cli.js';
import type { CrmKind } from '../sandbox/world.js';
import { seedCrmDeals } from './seed.js';

const { values } = parseArgs({
  options: {
    crm: { type: 'string', default: 'salesforce' }, deals: { type: 'string', default: '1500' }, kills: { type: 'string', default: '10' }, seed: { type: 'string', default: String(Date.now() % 100_000) },
    // When each kill comes, in ms after the sync takes the lock: on a loaded machine a sync needs more than
    // the default 4.2 s to commit its first page, and a later window kills it between pages.
    window: { type: 'string', default: '200-4200' },
  },
});
const CRMS: readonly CrmKind[] = ['salesforce', 'dynamics'];
if (!CRMS.includes(values.crm as CrmKind)) throw new Error(`--crm ${values.crm}: one of ${CRMS.join(', ')}`);
const crm = values.crm as CrmKind;
const [killFrom, killTo] = values.window.split('-').map(Number) as [number, number];
const deals = Number(values.deals);
const kills = Number(values.kills);
const seed = Number(values.seed);
const random = seeded(seed);
const say = (line: string) => console.log(line);

say(`crash drill: ${crm}, ${deals} deals, ${kills} kills, seed ${seed} (replay: npm run bench:kill -- --crm ${crm} --deals ${deals} --kills ${kills} --seed ${seed} --window ${values.window})`);
const world = await startCliWorld(crm);
const failures: string[] = [];
try {
  const crmIds = seedCrmDeals(crm, world.set, deals);
  for (let k = 1; k <= kills; k += 1) {
    const sync = startCosell(['-c', world.configFile, 'sync', '--once']);
    const started = Date.now();
    await waitFor(() => world.runtime.store.lockHolder()?.pid === sync.child.pid || sync.child.exitCode !== null, 60_000, 'the sync to take the lock');
    const afterMs = Math.round(killFrom + random() * (killTo - killFrom));
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    sync.child.kill('SIGKILL');
    const result = await sync.done;
    const linked = world.runtime.store.countLinks().active;
    say(`  kill ${k}: ${result.signal === 'SIGKILL' ? `killed after ${Date.now() - started} ms` : `had already ended (exit ${result.code})`}; ${linked} of ${deals} linked`);
    if (result.code === 6) failures.push(`kill ${k}: the sync found the lock held (exit 6) instead of taking it over`);
  }
  const t0 = Date.now();
  const finish = await world.cli(['sync', '--once']);
  say(`  finishing sync: exit ${finish.code} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${finish.stdout.split('\n')[0]}`);
  if (finish.code !== 0) failures.push(`the finishing sync exited ${finish.code}: ${finish.stdout}${finish.stderr}`);
  const quiet = await world.cli(['sync', '--json']);
  const report = JSON.parse(quiet.stdout) as { writes: number; counts: Record<string, number> };
  say(`  further sync: exit ${quiet.code}, ${report.writes} writes`);
  if (report.writes !== 0) failures.push(`a further sync wrote ${report.writes} times: ${JSON.stringify(report.counts)}`);

  const referrals = world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.externalReferenceId && crmIds.includes(r.externalReferenceId));
  const perDeal = new Map<string, number>();
  for (const r of referrals) perDeal.set(r.externalReferenceId!, (perDeal.get(r.externalReferenceId!) ?? 0) + 1);
  const doubled = [...perDeal].filter(([, n]) => n > 1);
  say(`  Partner Center: ${referrals.length} referrals for ${deals} deals; deals with more than one: ${doubled.length}`);
  if (referrals.length !== deals || doubled.length > 0) failures.push(`${referrals.length} referrals for ${deals} deals, ${doubled.length} doubled`);
  const views = await Promise.all(crmIds.map((id) => world.seller.read(id)));
  const byReferral = new Map<string, number>();
  for (const v of views) if (v.referralId) byReferral.set(v.referralId, (byReferral.get(v.referralId) ?? 0) + 1);
  const shared = [...byReferral].filter(([, n]) => n > 1);
  say(`  CRM: ${views.filter((v) => v.referralId).length} of ${deals} records carry a referral ID; referrals on more than one record: ${shared.length}`);
  if (shared.length > 0 || views.some((v) => !v.referralId)) failures.push(`${shared.length} referrals on several CRM records; ${views.filter((v) => !v.referralId).length} records without a referral`);
  // Every record says synced, and one that says so agrees with its referral on what the seller typed.
  const byId = new Map(referrals.map((r) => [r.id, r]));
  const unsynced = views.filter((v) => v.syncState !== 'synced');
  const differing = views.filter((v) => v.syncState === 'synced' && v.referralId && (byId.get(v.referralId)?.name !== v.name || Number(byId.get(v.referralId)?.details?.dealValue) !== v.value));
  say(`  CRM: ${views.length - unsynced.length} of ${deals} records say synced; synced but differing from the referral: ${differing.length}`);
  if (unsynced.length > 0) failures.push(`${unsynced.length} records do not say synced, e.g. ${unsynced[0]!.syncState}: ${unsynced[0]!.syncMessage ?? ''}`);
  if (differing.length > 0) failures.push(`${differing.length} records say synced and differ from their referral in name or value`);
} finally {
  await world.close();
}
say(failures.length === 0 ? 'PASS' : `FAIL\n  ${failures.join('\n  ')}`);
process.exitCode = failures.length === 0 ? 0 : 1;
