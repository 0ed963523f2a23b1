/**
 * What must hold once the chaos has stopped and the connector has settled, read from both sides through
 * the sandboxes (the same invariants as test/e2e/crash-random.suite.ts, plus the record's sync status):
 * one referral per opted-in deal and one deal per referral, the two agree on open deals (every unit the engine
 * keeps equal, from its own field table), every record's
 * status tells the truth, no lock left behind, and the store sound.
 */
import { spawnSync } from 'node:child_process';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { World } from '../../sandbox/world.js';
import { BIN } from './runner.js';
import { referralFromApi } from '../../connectors/partner-center/mapping.js';
import { linkedCrmViews } from '../../core/engine/outgoing-referral.js';
import { sidesDiffer } from '../../core/engine/merge/three-way.js';
import { readUnit } from '../../core/engine/merge/units.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const check = (name: string, problems: string[]): Check => ({ name, ok: problems.length === 0, detail: problems.slice(0, 5).join('; ') });

/**
 * The linked CRM records parked ("error") or in conflict: what `cosell status` must count. Records
 * "closed" (the deal's final state reached both sides), "held" (a win held for its window) or "pending"
 * are not problems and are not counted there (core/model/sync-status.ts).
 */
export async function notSynced(world: World): Promise<string[]> {
  const ids = await world.seller.allRecords();
  const views = await Promise.all(ids.map((id) => world.seller.read(id)));
  return ids.flatMap((id, i) => (views[i]!.referralId && (views[i]!.syncState === 'error' || views[i]!.syncState === 'conflict') ? [`${id} ${views[i]!.syncState}: ${views[i]!.syncMessage?.slice(0, 90)}`] : []));
}

/**
 * The units the engine keeps equal on both sides (its own field table, mappings/field-ownership.ts) on which
 * the CRM record and its referral differ, compared as the merge compares them: the CRM's side as the merge
 * sees it (core/engine/outgoing-referral.ts), Partner Center's as the connector reads it, a side that holds
 * nothing for a unit (a CRM that does not map it) having no opinion. Sales stage, status and substatus,
 * close date, value, notes, team, solutions, the customer and the rest: not only value and notes.
 */
async function differingUnits(world: World, crmId: string, referral: Parameters<typeof referralFromApi>[0]): Promise<string[]> {
  const [deal] = await world.runtime.crm.getDeals([crmId]);
  if (!deal) return ['the whole record (not found)'];
  const link = world.runtime.store.getLinkByCrmId(crmId);
  const crmSide = link ? linkedCrmViews(deal, link.base).crmView : deal.referral;
  const pc = referralFromApi(referral);
  return SYNC_FIELDS.filter((field) => sidesDiffer(field, readUnit(crmSide, field.unit), readUnit(pc, field.unit))).map((field) => `${field.unit} (${JSON.stringify(readUnit(crmSide, field.unit))} vs ${JSON.stringify(readUnit(pc, field.unit))})`.slice(0, 300));
}

export async function sidesAgree(world: World): Promise<Check[]> {
  const ours = world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG);
  const records = await world.seller.allRecords();
  const dupes: string[] = [];
  const differ: string[] = [];
  const status: string[] = [];
  let compared = 0;
  for (const crmId of records) {
    const claims = ours.filter((r) => r.externalReferenceId === crmId);
    if (claims.length > 1) dupes.push(`${crmId} has ${claims.length} referrals`);
    const view = await world.seller.read(crmId);
    if (view.syncState === 'synced' && view.referralId && !ours.some((r) => r.id === view.referralId)) status.push(`${crmId} says synced with unknown referral ${view.referralId}`);
    if (view.referralId && !['synced', 'closed'].includes(view.syncState ?? '') && !view.syncMessage) status.push(`${crmId} is ${view.syncState} with no reason`);
  }
  for (const referral of ours) {
    const linked = await world.seller.recordsForReferral(referral.id);
    if (linked.length > 1) dupes.push(`referral ${referral.id} has ${linked.length} CRM records`);
    if (linked.length !== 1 || referral.status === 'Closed') continue;
    const view = await world.seller.read(linked[0]!);
    if (view.syncState === 'closed') differ.push(`${linked[0]} says closed, its referral is ${referral.status}`);
    if (view.syncState !== 'synced') continue; // parked, in conflict, held or pending, with its reason (checked above)
    compared += 1;
    const units = await differingUnits(world, linked[0]!, referral);
    if (units.length) differ.push(`${linked[0]} ${units.join(', ')} differ from referral ${referral.id} (says synced)`);
  }
  return [
    check('no duplicate on either side', dupes),
    { ...check('records that say synced or closed agree with their referral', differ), ...(differ.length ? {} : { detail: `${compared} open pairs that say synced compared on ${SYNC_FIELDS.length} units` }) },
    check('every record not synced says why', status),
  ];
}

/** Parked records and open conflicts as `cosell status` counts them. */
const told = (text: string) => Number(/Parked: (\d+)/.exec(text)?.[1] ?? 0) + Number(/Open conflicts: (\d+)/.exec(text)?.[1] ?? 0);

function cosell(configFile: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, '-c', configFile, ...args], { encoding: 'utf8', env: process.env, timeout: 120_000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

export async function adminViews(world: World, configFile: string): Promise<Check[]> {
  const unsynced = await notSynced(world);
  const holder = world.runtime.store.lockHolder();
  const state = cosell(configFile, 'state', 'check');
  const status = cosell(configFile, 'status');
  const intents = world.runtime.store.listIntents().length;
  return [
    check('no run left the lock', holder ? [`held by ${holder.owner} pid ${holder.pid}`] : []),
    check('cosell state check passes', state.code === 0 ? [] : [`exit ${state.code}: ${state.out.slice(0, 300)}`]),
    check('cosell status answers (exit 0)', status.code === 0 ? [] : [`exit ${status.code}: ${status.out.slice(0, 300)}`]),
    check('cosell status counts every record parked or in conflict', told(status.out) === unsynced.length ? [] : [`status tells ${told(status.out)} parked or in conflict, the CRM shows ${unsynced.length}: ${unsynced.join(' | ')}`]),
    check('no create intent left behind', intents ? [`${intents} intents`] : []),
    { name: 'cosell status (informative)', ok: true, detail: `exit ${status.code}: ${status.out.split('\n').slice(0, 6).join(' | ')}` },
  ];
}
