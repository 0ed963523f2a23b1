/**
 * `cosell explain`: what the engine would decide for one linked deal, unit by unit, with the engine's own
 * pure pieces (the seller's intent, the three-way merge, the rules), so the explanation cannot drift
 * from what a sync does. Pure: the CLI reads both sides and the link and hands them in.
 */
import type { CrmDeal } from './crm-port.js';
import { SYNC_FIELDS, type FieldOwner } from '../../mappings/field-ownership.js';
import { sameValue } from '../model/diff.js';
import type { Referral } from '../model/referral.js';
import { blocking, checkChange, checkCreate, isTerminal, type Violation } from '../rules/index.js';
import type { Link } from '../store/state-store.js';
import { mergeReferral, type ConflictPolicy, type UnitConflict } from './merge/three-way.js';
import { readUnit, unitFields } from './merge/units.js';
import type { LocationDefaults } from './deal-location.js';
import { isPaused } from './paused-pair.js';
import { linkedCrmViews, linkedMergeInput, newReferralDraft, referralUpdate } from './outgoing-referral.js';

export interface UnitExplanation {
  unit: string;
  owner: FieldOwner;
  base: unknown;
  crm: unknown;
  partnerCenter: unknown;
  /** What the merge decided, in words. */
  decision: string;
  merged: unknown;
  toPartnerCenter: boolean;
  toCrm: boolean;
}

export interface PairExplanation {
  units: UnitExplanation[];
  /** The rules Partner Center would apply to what would be sent (errors block it). */
  rules: Violation[];
  /** What the CRM record holds that cannot be mapped. */
  problems: Violation[];
  /** Why nothing would reach Partner Center even though units changed, if so. */
  blockedBecause?: string;
  nextSync: { toPartnerCenter: Record<string, unknown>; toCrm: Record<string, unknown> };
}

function decisionOf(b: unknown, c: unknown, p: unknown, conflict: UnitConflict | undefined): string {
  if (conflict) {
    if (conflict.settledBy === 'manual') return 'changed on both sides: left for an admin (manual policy)';
    const by = { terminal: 'the final state wins', ownership: 'field ownership', policy: 'the conflict policy', merged: 'merged from both' }[conflict.settledBy];
    const winner = conflict.winner === 'both' ? 'both sides' : conflict.winner === 'crm' ? 'the CRM' : 'Partner Center';
    return `changed on both sides: ${winner} (${by})`;
  }
  const crmChanged = c !== undefined && !sameValue(c, b);
  const pcChanged = p !== undefined && !sameValue(p, b);
  if (crmChanged && pcChanged) return 'changed on both sides to the same value';
  if (crmChanged) return 'changed in the CRM';
  if (pcChanged) return 'changed in Partner Center';
  return 'unchanged';
}

export function explainPair(input: { link: Link; deal: CrmDeal; pc: Referral; policy: ConflictPolicy; now: Date }): PairExplanation {
  const { link, deal, pc } = input;
  // The same views the sync merges: a contact consent keeps back is no CRM change (it never leaves the CRM).
  const views = linkedCrmViews(deal, link.base);
  const { crmSeen, crmView } = views;
  const m = mergeReferral(linkedMergeInput(deal, link.base, views, pc, input.policy));
  const units = SYNC_FIELDS.map((field): UnitExplanation => {
    const c = field.flows === 'to-crm' ? undefined : readUnit(crmView, field.unit);
    return {
      unit: field.unit,
      owner: field.owner,
      base: readUnit(link.base, field.unit),
      crm: readUnit(crmSeen, field.unit),
      partnerCenter: readUnit(pc, field.unit),
      decision: decisionOf(readUnit(link.base, field.unit), c, readUnit(pc, field.unit), m.conflicts.find((x) => x.unit === field.unit)),
      merged: readUnit(m.merged, field.unit),
      toPartnerCenter: false,
      toCrm: false,
    };
  });
  const problems = deal.problems.map((p) => ({ code: p.code, field: p.field, message: p.message, severity: 'error' as const }));
  // What a sync would send: Partner Center's referral with the merged units it does not hold yet.
  const next = referralUpdate(pc, m.merged, m.toPartnerCenter);
  const rules = m.toPartnerCenter.length > 0 ? checkChange(pc, next, { actor: 'us', now: input.now }) : [];
  let blockedBecause: string | undefined;
  const paused = isPaused(deal);
  if (paused) blockedBecause = 'the record\'s "Sync with Partner Center" box is unticked: the pair is paused both ways until the seller ticks it, and the sync after that merges as shown.';
  else if (m.toPartnerCenter.length > 0 && isTerminal(pc)) blockedBecause = `Partner Center's deal is in a final state (${pc.status}/${pc.substatus}): it takes no more changes.`;
  else if (problems.length > 0) blockedBecause = 'the CRM record holds something that cannot be mapped (see problems).';
  else if (blocking(rules).length > 0) blockedBecause = 'Partner Center\'s rules refuse the change (see rules); the deal would be parked.';
  const pick = (list: string[]) => Object.fromEntries(list.map((u) => [u, readUnit(m.merged, u)]));
  const nextSync = { toPartnerCenter: blockedBecause ? {} : pick(m.toPartnerCenter), toCrm: paused ? {} : pick(m.toCrm) };
  return { units: withSentFlags(units, nextSync), rules, problems, ...(blockedBecause ? { blockedBecause } : {}), nextSync };
}

/**
 * Each unit's "goes to Partner Center / to the CRM" as `nextSync` says, so the two never disagree: a unit
 * the merge would send but the sync holds back (a closed deal, a paused pair, a held Won, a refusal) is
 * not marked as sent. The CLI calls it again with the dry run's own `nextSync`.
 */
export function withSentFlags(units: readonly UnitExplanation[], nextSync: PairExplanation['nextSync']): UnitExplanation[] {
  const sent = (side: Record<string, unknown>, unit: string) => unitFields(unit).some((f) => f in side) || unit in side;
  return units.map((u) => ({ ...u, toPartnerCenter: sent(nextSync.toPartnerCenter, u.unit), toCrm: sent(nextSync.toCrm, u.unit) }));
}

export interface UnlinkedExplanation {
  optedIn: boolean;
  values: Referral;
  rules: Violation[];
  problems: Violation[];
  nextSync: string;
}

/** A CRM deal with no referral yet: what a sync would do with it (create, park, or leave it alone). */
export function explainUnlinked(deal: CrmDeal, options: LocationDefaults & { now: Date }): UnlinkedExplanation {
  const draft = newReferralDraft(deal, options);
  const problems = deal.problems.map((p) => ({ code: p.code, field: p.field, message: p.message, severity: 'error' as const }));
  const rules = checkCreate(draft, { actor: 'us', now: options.now });
  const nextSync = !deal.intent.optedIn
    ? 'nothing: "Sync with Partner Center" is not ticked'
    : problems.length > 0 || blocking(rules).length > 0
      ? 'park it with the reasons below, written onto the record'
      : 'create a referral in Partner Center';
  return { optedIn: deal.intent.optedIn, values: draft, rules, problems, nextSync };
}
