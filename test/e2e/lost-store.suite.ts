/**
 * The state store deleted (or replaced by an older copy) between two syncs, end to end: the first sync
 * rebuilds every link from the referral IDs on both sides, and each field the two sides hold differently
 * is decided by the configured policy — newest-wins by each side's modification time, crm-wins,
 * partner-center-wins, or manual (a conflict for `cosell conflicts`) — never silently overwritten; the
 * store records the rebuild and the log says it at warn (issue 11).
 *
 * Two deals are edited while the store is gone: A in different fields (the CRM its notes, then Partner
 * Center its value: Partner Center is newer), B in the same field (Partner Center the help asked of
 * Microsoft, then the CRM: the CRM is newer). Deal C and an inbound referral are left alone.
 */
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { ConflictPolicy } from '../../core/engine/merge/three-way.js';
import { runSyncOnce, type RunReport } from '../../core/engine/sync-engine.js';
import { createLogger } from '../../core/logger.js';
import type { StateStore } from '../../core/store/index.js';
import { engineOptionsFor, openRuntime, type Runtime } from '../../core/cli/runtime.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { StoredReferral } from '../../sandbox/partner-center/store.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;
const PC_VALUE = 99_000;
const CRM_NOTES = 'Edited in the CRM while the store was gone';

export interface Scenario {
  world: World;
  ids: { a: string; b: string; c: string; inbound: string };
  referrals: { a: string; b: string; c: string; inbound: string };
  /** What the next process opens after the store was lost (its own store and adapters). */
  runtime: Runtime;
  /** The sync on the replaced store, with its warn-level log lines. */
  sync(): Promise<RunReport>;
  store: StateStore;
  warnings: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Removes the state database (and its WAL files) under the world and puts an older copy, if any, in its
 * place. The caller then opens a new runtime, as the next `cosell sync` process would: the adapters are
 * bound to the store they were opened with (the Salesforce deletion feed keeps its related rows there).
 */
export function loseStore(world: World, older?: string): void {
  const path = world.runtime.config.store.path;
  world.runtime.store.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  if (older) copyFileSync(older, path);
}

/**
 * Loses the world's state store and runs `check` on the runtime the next process opens (silent, on the
 * world's clock), closing it after: `sync` runs once as `cosell sync` would with the world's config.
 */
export async function afterLostStore(world: World, check: (runtime: Runtime, sync: () => Promise<RunReport>) => Promise<void>): Promise<void> {
  loseStore(world);
  const runtime = await openRuntime({ config: world.runtime.config, logger: createLogger({ level: 'silent' }), now: () => world.set.clock.now() });
  try {
    await check(runtime, () => runSyncOnce(runtime.engineDeps(), engineOptionsFor(runtime.config)));
  } finally {
    runtime.close();
  }
}

/** `older`: keep a copy of the store taken after A, B and C were synced and restore it instead of an empty file. */
export async function lostStoreScenario(kind: CrmKind, policy: ConflictPolicy, options: { older?: boolean } = {}): Promise<Scenario> {
  const world = await startWorld(kind, { sync: { conflictPolicy: policy } });
  // A user of our partner organisation edits the referral in Partner Center itself.
  const pcEdit = (referralId: string, change: (json: StoredReferral) => StoredReferral) =>
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: change(json) })));
  const a = await world.seller.createDeal(dealSpec('Lost store A', { share: true, helpType: 'proof-of-concept' }));
  const b = await world.seller.createDeal(dealSpec('Lost store B', { share: true, helpType: 'proof-of-concept' }));
  const c = await world.seller.createDeal(dealSpec('Lost store C', { share: true }));
  await world.syncToQuiet();
  let older: string | undefined;
  if (options.older) {
    older = `${world.runtime.config.store.path}.older`;
    await new Database(world.runtime.config.store.path, { readonly: true }).backup(older);
  }
  const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Lost store inbound' } }));
  await world.syncToQuiet();
  const referralOfDeal = async (crmId: string) => (await world.seller.read(crmId)).referralId!;
  const inboundRecords = await world.seller.recordsForReferral(sent.id);
  assert.equal(inboundRecords.length, 1);
  const ids = { a, b, c, inbound: inboundRecords[0]! };
  const referrals = { a: await referralOfDeal(a), b: await referralOfDeal(b), c: await referralOfDeal(c), inbound: sent.id };

  world.set.clock.advance(MINUTE);
  await world.seller.edit(a, { notes: CRM_NOTES });
  world.set.clock.advance(MINUTE);
  pcEdit(referrals.a, (json) => ({ ...json, details: { ...json.details!, dealValue: PC_VALUE } }));
  world.set.clock.advance(MINUTE);
  pcEdit(referrals.b, (json) => ({ ...json, inviteContext: { ...json.inviteContext, assistanceRequestCode: 'QuotesOrLicensing' } }));
  world.set.clock.advance(MINUTE);
  await world.seller.optIn(b, { helpType: 'technical-architecture' });

  loseStore(world, older);
  const warnings: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: new Writable({ write: (chunk, _enc, done) => void (warnings.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) }),
  });
  const runtime = await openRuntime({ config: world.runtime.config, logger, now: () => world.set.clock.now() });
  const config = world.runtime.config.sync;
  return {
    world,
    runtime,
    ids,
    referrals,
    store: runtime.store,
    warnings,
    sync: () => runSyncOnce(runtime.engineDeps(), { policy, holdWonHours: config.holdWonHours, ...(config.defaultLocation ? { defaultLocation: config.defaultLocation } : {}) }),
    async close() {
      runtime.close();
      await world.close();
    },
  };
}

/** Both sides of a deal as the two services hold them. */
export async function bothSides(s: Scenario, deal: 'a' | 'b' | 'c' | 'inbound') {
  const referral = referralOf(s.world, s.referrals[deal]);
  const view = await s.world.seller.read(s.ids[deal]);
  const [crm] = await s.runtime.crm.getDeals([s.ids[deal]]);
  return {
    pc: { value: Number(referral.details?.dealValue), notes: referral.details?.notes, help: referral.inviteContext?.assistanceRequestCode },
    crm: { value: view.value, notes: view.notes, help: crm!.referral.helpType, syncState: view.syncState },
  };
}

export async function syncUntilQuiet(s: Scenario, max = 6): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  for (let i = 0; i < max; i += 1) {
    const report = await s.sync();
    reports.push(report);
    if (report.outcome !== 'ok' || report.writes === 0) break;
  }
  return reports;
}

export { CRM_NOTES, PC_VALUE };
