/**
 * `sync --dry-run` as one wrapper around the engine's two ports and its store (issue 13): the engine runs
 * its real path, decisions, rules and all, and the wrapper answers each write as if it were made, listing
 * it in the plan instead of sending it. Reads go to the real services. Nothing else in the engine asks
 * whether a run is dry.
 *
 * What a dry run cannot see it cannot run: an opportunity created in the CRM never comes back in the
 * CRM's feed, so the two writes that follow its creation in a real run (its CRM ID sent to Partner Center,
 * and the sync status that leaves on the record) are planned here, with the create.
 */
import type { CrmAdapter, CrmWrite, CrmWriteResult } from './crm-port.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { sameValue } from '../model/diff.js';
import type { Referral } from '../model/referral.js';
import { isTerminal } from '../rules/index.js';
import type { AsyncStateStore } from '../store/async-state-store.js';
import type { Tally } from './context.js';
import { plannedCrmWrite, valuesOf, type PlannedChange } from './dry-run-plan.js';
import { DryRunStore } from './dry-run-store.js';
import { readUnit } from './merge/units.js';
import type { PartnerCenterPort } from './ports.js';

/** The prefix of the IDs a dry run gives the records it would create (never sent anywhere). */
export const DRY_RUN_ID = 'dry-run:';

const UNITS = [...new Set(SYNC_FIELDS.map((f) => f.unit))];

/** The merge units `next` changes on `previous`, as the plan names them. */
function changedUnits(previous: Referral, next: Referral): string[] {
  return UNITS.filter((unit) => !sameValue(readUnit(previous, unit), readUnit(next, unit)));
}

export interface DryRunSides {
  crm: CrmAdapter;
  partnerCenter: PartnerCenterPort;
  store: AsyncStateStore;
}

/** The ports and the store of a dry run over the real ones; `plan` and `tally` receive what would be written. */
export function dryRunSides(real: DryRunSides, plan: PlannedChange[], tally: Tally, now: () => Date): DryRunSides {
  const store = new DryRunStore(real.store);
  // The CRM adapter keeps its related-row index (row → opportunity, row versions) in the store itself, not
  // through the engine: it gets the dry run's store for it, so that those writes are dropped as well.
  return { crm: dryRunCrm(real.crm.withRelatedRows(store), plan, tally), partnerCenter: dryRunPartnerCenter(real.partnerCenter, plan, now), store };
}

function dryRunPartnerCenter(real: PartnerCenterPort, plan: PlannedChange[], now: () => Date): PartnerCenterPort {
  return {
    changes: (cursor) => real.changes(cursor),
    get: (referralId) => real.get(referralId),
    assessmentsAllowed: () => real.assessmentsAllowed(),
    referralLink: (referralId) => real.referralLink(referralId),
    callCount: () => real.callCount(),
    // One at a time: the plan lists the writes in the order the engine decided them.
    maxConcurrency: 1,
    async createIdempotent(referral) {
      plan.push({ side: 'partner-center', kind: 'create', ...(referral.crmId ? { crmId: referral.crmId } : {}), dealName: referral.dealName });
      const at = now().toISOString();
      return { referral: { ...referral, referralId: `${DRY_RUN_ID}${referral.crmId ?? referral.dealName}`, createdAt: at, updatedAt: at }, created: true };
    },
    async update(previous, next) {
      const fields = changedUnits(previous, next);
      plan.push({ side: 'partner-center', kind: 'update', ...(next.crmId ? { crmId: next.crmId } : {}), ...(previous.referralId ? { referralId: previous.referralId } : {}), dealName: next.dealName, fields, values: valuesOf(next, fields) });
      return { ...next, updatedAt: now().toISOString() };
    },
  };
}

function dryRunCrm(real: CrmAdapter, plan: PlannedChange[], tally: Tally): CrmAdapter {
  const unsent = (ids: readonly string[]) => ids.filter((id) => !id.startsWith(DRY_RUN_ID));
  return {
    displayName: real.displayName,
    maxBatchSize: real.maxBatchSize,
    textLimits: real.textLimits,
    fieldLabels: real.fieldLabels,
    readChanges: (cursor, known) => real.readChanges(cursor, known),
    ...(real.openChanges ? { openChanges: (cursor, known, alsoRead) => real.openChanges!(cursor, known, alsoRead && unsent(alsoRead)) } : {}),
    // A record the dry run "created" exists nowhere: the real CRM is never asked for it.
    getDeals: async (crmIds) => (unsent(crmIds).length > 0 ? real.getDeals(unsent(crmIds)) : []),
    missingIds: (crmIds) => real.missingIds(crmIds),
    findAllByReferralIds: (referralIds) => real.findAllByReferralIds(referralIds),
    readLeads: async (leadIds) => (unsent(leadIds).length > 0 ? real.readLeads(unsent(leadIds)) : new Map()),
    findLeads: (referralIds) => real.findLeads(referralIds),
    listStages: () => real.listStages(),
    setup: () => real.setup(),
    check: () => real.check(),
    ...(real.apiUsage ? { apiUsage: () => real.apiUsage!() } : {}),
    ...(real.showsStatus ? { showsStatus: (deal, status) => real.showsStatus!(deal, status) } : {}),
    withRelatedRows: (index) => dryRunCrm(real.withRelatedRows(index), plan, tally),
    async write(writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> {
      return writes.map((w) => {
        plan.push(plannedCrmWrite(w));
        if (w.kind === 'create') planCreatedRecordFollowUps(w, plan, tally);
        return { key: w.key, ok: true, crmId: w.kind === 'create' ? `${DRY_RUN_ID}${w.key}` : w.crmId };
      });
    },
  };
}

/**
 * In a real run an opportunity created for a referral comes back in the CRM's feed of the same run, and
 * its CRM ID is sent to Partner Center unless the referral is in a final state; the record then gets the
 * sync status that update leaves (a status write, counted like any other).
 */
function planCreatedRecordFollowUps(w: Extract<CrmWrite, { kind: 'create' }>, plan: PlannedChange[], tally: Tally): void {
  if (w.referral.crmId || isTerminal(w.referral)) return;
  const referralId = w.referral.referralId!;
  tally.add('pcUpdated');
  plan.push({ side: 'partner-center', kind: 'update', referralId, dealName: w.referral.dealName, fields: ['crmId'] });
  tally.add('statusWritten');
  plan.push({ side: 'crm', kind: 'status', referralId, dealName: w.referral.dealName, state: w.status.state });
}
