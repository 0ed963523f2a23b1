/**
 * The three-way merge of one linked deal: the CRM's version and Partner Center's version, each compared
 * with the base (the last canonical snapshot both sides agreed on), unit by unit.
 *
 * - Changed on one side only: the change flows to the other side.
 * - Changed on both sides to the same value: nothing to do.
 * - Changed on both sides differently: a conflict, settled in this order (issue #6):
 *   1. terminal states win (they are irreversible in Partner Center; Partner Center's wins if both are);
 *   2. field ownership (mappings/field-ownership.ts);
 *   3. the configured policy: newest-wins by the sides' own server timestamps (default), crm-wins,
 *      partner-center-wins, or manual (the unit is left as it is on both sides and reported).
 *   Notes and the team/solution sets are merged rather than chosen.
 *
 * A side that holds no value for a unit (`undefined`) has no opinion on it: CRMs do not map every field,
 * and Partner Center's JSON Patch has no `remove`, so an absent value never erases the other side's. The
 * exceptions are units a person emptied where the base held a value, which flow like any edit:
 * - a unit the CRM says it maps and holds empty (`crmCleared`): Partner Center gets `replace` with null;
 * - a `clearable` unit (mappings/field-ownership.ts) that Partner Center holds empty: its answer is the
 *   whole referral, so an empty field there was emptied, not left unsent; the CRM's field is emptied. Not a
 *   unit the CRM keeps back from Partner Center (`pcWithheld`: the customer contact without consent), whose
 *   absence there is the CRM's own doing.
 *
 * Pure: no I/O, no clock.
 */
import { SYNC_FIELDS, type SyncField } from '../../../mappings/field-ownership.js';
import { deriveDealType } from '../../model/deal-type.js';
import { holdsWhereDefined, sameValue } from '../../model/diff.js';
import { TERMINAL_SUBSTATUSES, type ReferralSubstatus } from '../../model/enums.js';
import type { Referral } from '../../model/referral.js';
import { mergeNotes } from './notes.js';
import { holdsSet, mergeInvitations, mergeSets, setsDiffer, solutionKey, teamKey } from './sets.js';
import { readUnit, writeUnits } from './units.js';

export type ConflictPolicy = 'newest-wins' | 'crm-wins' | 'partner-center-wins' | 'manual';

export interface MergeInput {
  base: Referral;
  /** The CRM's opinion: its record with the seller's pending answer (accept, decline) applied. */
  crm: Referral;
  /**
   * What the CRM record itself holds, when it differs from its opinion: a seller's answer is an intent
   * that the record does not show yet (the opportunity is still open), so the merged status must be
   * written back to it. Defaults to `crm`.
   */
  crmHolds?: Referral;
  pc: Referral;
  policy: ConflictPolicy;
  /** The CRM record's server modification time (newest-wins). */
  crmModifiedAt?: string;
  /** Partner Center's `updatedDateTime` (newest-wins). */
  pcUpdatedAt?: string;
  /**
   * Units an admin must settle (an open conflict, or a difference found when a link was rebuilt under the
   * manual policy): while the two sides hold different values, nothing moves either way.
   */
  hold?: readonly string[];
  /**
   * Units the CRM maps and holds empty (`CrmDeal.cleared`): where the base held a value, the CRM's side
   * changed it to nothing, instead of having no opinion.
   */
  crmCleared?: readonly string[];
  /**
   * Units the CRM keeps back from Partner Center (the customer contact while consent is not given): the
   * CRM's value stands, and Partner Center holding none is not a removal to write to the CRM.
   */
  pcWithheld?: readonly string[];
  /** The CRM record keeps Partner Center's invitation reports (`CrmDeal.keepsInvitationReports`). */
  crmKeepsInvitationReports?: boolean;
}

export type SettledBy = 'terminal' | 'ownership' | 'policy' | 'merged';

export interface UnitConflict {
  unit: string;
  settledBy: SettledBy | 'manual';
  winner?: 'crm' | 'partner-center' | 'both';
}

export interface MergeResult {
  merged: Referral;
  /** Units whose merged value Partner Center does not hold yet. */
  toPartnerCenter: string[];
  /** Units whose merged value the CRM does not hold yet. */
  toCrm: string[];
  conflicts: UnitConflict[];
  /** Units left unresolved under the manual policy. */
  manual: string[];
}

const STATUS_FIELD = SYNC_FIELDS.find((f) => f.unit === 'status')!;

const changed = (side: unknown, base: unknown) => side !== undefined && !sameValue(side, base);
const isTerminal = (unit: unknown) => TERMINAL_SUBSTATUSES.includes((unit as { substatus?: ReferralSubstatus } | undefined)?.substatus as ReferralSubstatus);

/** Who wins a conflict under the configured policy; undefined = left for a person (manual). */
export function policyWinner(input: Pick<MergeInput, 'policy' | 'crmModifiedAt' | 'pcUpdatedAt'>): 'crm' | 'partner-center' | undefined {
  switch (input.policy) {
    case 'crm-wins':
      return 'crm';
    case 'partner-center-wins':
      return 'partner-center';
    case 'manual':
      return undefined;
    case 'newest-wins': {
      const crm = Date.parse(input.crmModifiedAt ?? '');
      const pc = Date.parse(input.pcUpdatedAt ?? '');
      if (Number.isNaN(crm)) return 'partner-center';
      if (Number.isNaN(pc)) return 'crm';
      return crm > pc ? 'crm' : 'partner-center';
    }
  }
}

/** Settles one unit changed on both sides differently; undefined = left for a person (manual). */
function settle(field: SyncField, b: unknown, c: unknown, p: unknown, input: MergeInput): { value: unknown; conflict: UnitConflict } | undefined {
  const { unit } = field;
  if (field.kind === 'status' && (isTerminal(c) || isTerminal(p))) {
    const winner = isTerminal(p) ? 'partner-center' : 'crm';
    return { value: winner === 'crm' ? c : p, conflict: { unit, settledBy: 'terminal', winner } };
  }
  if (field.kind === 'notes') {
    return { value: mergeNotes(b as string, c as string, p as string), conflict: { unit, settledBy: 'merged', winner: 'both' } };
  }
  if (field.owner !== 'shared') {
    return { value: field.owner === 'crm' ? c : p, conflict: { unit, settledBy: 'ownership', winner: field.owner } };
  }
  const winner = policyWinner(input);
  if (!winner) return undefined;
  return { value: winner === 'crm' ? c : p, conflict: { unit, settledBy: 'policy', winner } };
}

/**
 * Whether the two sides hold different values for a unit: both hold one, and the CRM's does not match
 * Partner Center's where the CRM defines it (sets by element key, comparing the attributes both define).
 * A side holding nothing differs from nothing: it has no opinion.
 */
export function sidesDiffer(field: SyncField, crm: unknown, pc: unknown): boolean {
  if (crm === undefined || pc === undefined) return false;
  if (field.kind === 'team') return setsDiffer(crm as { email: string }[], pc as { email: string }[], teamKey);
  if (field.kind === 'solutions') return setsDiffer(crm as { id: string }[], pc as { id: string }[], solutionKey);
  return !holdsWhereDefined(crm, pc);
}

/**
 * A side needs the merged value written unless it already holds it. A side that holds nothing for the
 * unit needs it only if the unit changed from the base (it may simply not map it); nested attributes it
 * leaves undefined are no opinion.
 */
function needsWrite(holds: unknown, value: unknown, base: unknown): boolean {
  if (holds === undefined) return !sameValue(value, base);
  return !holdsWhereDefined(holds, value);
}

export function mergeReferral(input: MergeInput): MergeResult {
  const { base, crm, pc } = input;
  // Every unit's merged value, set on the base in one copy at the end.
  const values: [string, unknown][] = [];
  const conflicts: UnitConflict[] = [];
  const manual: string[] = [];
  const toPartnerCenter: string[] = [];
  const toCrm: string[] = [];

  const hold = new Set(input.hold ?? []);
  const emptied = new Set(input.crmCleared ?? []);
  const withheld = new Set(input.pcWithheld ?? []);
  const leave = (unit: string) => {
    manual.push(unit);
    conflicts.push({ unit, settledBy: 'manual' });
  };
  // The status carries the stage (Accepted is an accepted inbound referral's stage, Won a won deal's; a
  // stage before the answer is refused; Salesforce writes both as StageName): while an admin holds the
  // status, its stage does not move either way. Until 2026-12-06 a rebuilt link held the status and wrote
  // Partner Center's "Accepted" stage onto the record, or sent the CRM's stage to an unanswered referral.
  const statusHeld = hold.has('status') && sidesDiffer(STATUS_FIELD, readUnit(crm, 'status'), readUnit(pc, 'status'));

  for (const field of SYNC_FIELDS) {
    if (field.kind === 'invitations') {
      const result = mergeInvitations(base.invitations, crm.invitations, pc.invitations, input.crmKeepsInvitationReports === true);
      values.push([field.unit, result.merged]);
      if (result.toPartnerCenter) toPartnerCenter.push(field.unit);
      if (result.toCrm) toCrm.push(field.unit);
      continue;
    }
    if (field.kind === 'team' || field.kind === 'solutions') {
      // Sets always merge element by element: each side's additions, removals and edits are kept, and an
      // attribute a side does not hold (a CRM without incentive flags) is no opinion.
      const key = (field.kind === 'team' ? teamKey : solutionKey) as (item: unknown) => string;
      const b = (readUnit(base, field.unit) ?? []) as unknown[];
      const c = readUnit(crm, field.unit) as unknown[] | undefined;
      const p = readUnit(pc, field.unit) as unknown[] | undefined;
      if (hold.has(field.unit) && sidesDiffer(field, c, p)) {
        leave(field.unit);
        continue;
      }
      const result = mergeSets(b, c ?? b, p ?? b, key, field.owner === 'partner-center' ? 'pc' : 'crm');
      if (result.contested.length > 0) conflicts.push({ unit: field.unit, settledBy: 'merged', winner: 'both' });
      values.push([field.unit, result.merged]);
      if (!holdsSet(p, result.merged, key)) toPartnerCenter.push(field.unit);
      if (!holdsSet(c, result.merged, key)) toCrm.push(field.unit);
      continue;
    }
    const ownId = field.setByConnector && field.owner === 'crm' ? readUnit(crm, field.unit) : undefined;
    if (ownId !== undefined) {
      // The CRM record's own ID (crmId) ties the pair together: the CRM holds the truth, and Partner Center's
      // copy is only ever the connector's. A copy emptied or changed there (a stale bulk CSV re-imported) is
      // put back; read as any shared value, an emptied one was no opinion and another ID was taken as an edit.
      values.push([field.unit, ownId]);
      if (!sameValue(readUnit(pc, field.unit), ownId)) toPartnerCenter.push(field.unit);
      continue;
    }
    const b = readUnit(base, field.unit);
    // A unit only Partner Center may write is never taken from the CRM.
    const c = field.flows === 'to-crm' ? undefined : readUnit(crm, field.unit);
    const p = readUnit(pc, field.unit);
    // Emptied in the CRM where the base held a value: a change to nothing (c stays undefined).
    const crmCleared = c === undefined && b !== undefined && field.flows !== 'to-crm' && emptied.has(field.unit);
    // Emptied in Partner Center where the base held a value (p stays undefined).
    const pcEmptied = p === undefined && field.clearable === true && !withheld.has(field.unit);
    const pcCleared = pcEmptied && b !== undefined;
    const crmChanged = crmCleared || changed(c, b);
    const pcChanged = pcCleared || changed(p, b);
    let value = b;
    if (hold.has(field.unit) && sidesDiffer(field, c, p)) {
      leave(field.unit);
      continue;
    }
    if (field.unit === 'salesStage' && statusHeld) {
      values.push([field.unit, b]);
      continue;
    }
    if (crmChanged && pcChanged && !sameValue(c, p)) {
      const settled = settle(field, b, c, p, input);
      if (!settled) {
        leave(field.unit);
        continue;
      }
      value = settled.value;
      conflicts.push(settled.conflict);
    } else if (crmChanged) {
      value = c;
    } else if (pcChanged) {
      value = p;
    }
    values.push([field.unit, value]);
    const crmHolds = readUnit(input.crmHolds ?? crm, field.unit);
    const pcHolds = p;
    // A value emptied on either side: each side needs the clear while it still holds a value; a side
    // holding nothing already agrees (needsWrite would read its nothing as "no opinion" and resend).
    const emptiedValue = value === undefined && ((c === undefined && emptied.has(field.unit)) || pcEmptied);
    if (field.flows === 'both' && (emptiedValue ? pcHolds !== undefined : needsWrite(pcHolds, value, b))) toPartnerCenter.push(field.unit);
    // A unit the CRM withholds is the CRM's own: Partner Center's side of it is never written there.
    if (!withheld.has(field.unit) && (emptiedValue ? crmHolds !== undefined : needsWrite(crmHolds, value, b))) toCrm.push(field.unit);
  }

  const merged = writeUnits(base, values);
  // Deal type follows the merged answers (it is derived, never merged); inbound types are Partner Center's.
  merged.dealType = merged.direction === 'inbound' ? (pc.dealType ?? merged.dealType) : deriveDealType(merged);
  return { merged, toPartnerCenter, toCrm, conflicts, manual };
}
