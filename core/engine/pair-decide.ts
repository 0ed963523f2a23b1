/**
 * Deciding a linked pair (the first of syncPair's three steps: decide, act, record): the three-way merge,
 * Partner Center's rules checked before anything is sent, an early Won held, a manual conflict opened.
 * The only I/O-free outcome is a {@link PairWork}: what to send to Partner Center, if anything, and what
 * the record and the link should show so far. Reads the store (open conflict, parked record) and counts.
 */
import type { CrmDeal, SyncState } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import { registrationEligibility } from '../rules/registration.js';
import { describeViolations, withRuleErrors, type Violation } from '../rules/violation.js';
import { fieldLabel, fieldLabels, type FieldLabels } from '../rules/field-labels.js';
import { showValue } from './replaced-values.js';
import { checkChange, isTerminal } from '../rules/index.js';
import type { Conflict, ConflictResolution, ConflictSides, Link, LinkState, ParkedRecord } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { contentFingerprint } from './fingerprint.js';
import { mergeReferral, type MergeResult } from './merge/three-way.js';
import { parkFor } from './parking.js';
import { teamEmails } from './merge/sets.js';
import { readUnit, withUnits } from './merge/units.js';
import { sameValue } from '../model/diff.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { editedFields, finalStateMessage, restatesFinalState } from './final-state.js';
import { linkedCrmViews, linkedMergeInput, referralUpdate } from './outgoing-referral.js';

/** A pair as decided, then as changed by acting on it; recording turns it into the link and the CRM write. */
export interface PairWork {
  link: Link;
  deal: CrmDeal;
  /** Partner Center's referral as it was read, and as it is after the update (the same object when none went). */
  pcCurrent: Referral;
  pcAfter: Referral;
  /** The CRM's view with the seller's pending answer applied, without the contact when consent is missing, and as the record holds it. */
  crmSeen: Referral;
  crmView: Referral;
  crmHolds: Referral;
  m: MergeResult;
  state: SyncState;
  message: string;
  heldUntil?: string;
  park?: ParkedRecord;
  unpark: boolean;
  conflict?: Omit<Conflict, 'id'>;
  /** The open conflict's sides as they are now, when either was edited again since it was recorded. */
  refreshConflict?: { id: number; sides: ConflictSides };
  /** The open conflict, when its sides came to agree without an admin: closed for the side whose values stand. */
  closeConflict?: { id: number; resolution: ConflictResolution };
  linkState: LinkState;
  /** Units whose change could not reach Partner Center: they stay as they were in the base, to be tried again. */
  unsentToPc: string[];
  /** The update to send to Partner Center, when one goes (not on a dry run). */
  send?: { next: Referral; units: string[]; wasParked: boolean };
}

const HOUR_MS = 3_600_000;

/** Parks the CRM record (counted in the run), or undefined when it is parked already and not due. */
export function parkRecord(ctx: RunContext, deal: CrmDeal, crmView: Referral, reasons: Violation[]): ParkedRecord | undefined {
  return parkFor(ctx, { side: 'crm', recordId: deal.crmId, ...(crmView.dealName ? { name: crmView.dealName } : {}), team: teamEmails(crmView.team), reasons, fingerprint: contentFingerprint(crmView) });
}

/** A Won on a registrable deal inside the gap is held: returns when it may go, or undefined. */
function holdUntil(ctx: RunContext, before: Referral, next: Referral): string | undefined {
  if (ctx.options.holdWonHours <= 0 || next.substatus !== 'Won' || before.substatus === 'Won') return undefined;
  if (!registrationEligibility(next).eligible || !next.createdAt) return undefined;
  const ends = Date.parse(next.createdAt) + ctx.options.holdWonHours * HOUR_MS;
  return ctx.now().getTime() < ends ? new Date(ends).toISOString() : undefined;
}

/** What a `closed` record says: why Partner Center takes nothing more, and which CRM edits stay unsent. */
export function closedMessage(pc: Referral, edited: string): string {
  // The fields come first: Salesforce's message field holds 255 characters and a longer message is cut.
  return `Closed in Partner Center, not sent: ${edited}. ${finalStateMessage(pc)} Partner Center takes no changes after a final state, so these CRM edits stay in the CRM only; put the values back to show "synced" again.`;
}

/** Units a seller cannot settle by typing Partner Center's value: the status and its stage move by answers and closes. */
const NOT_TYPED = new Set(['status', 'salesStage']);

/**
 * What a `conflict` record says: the fields (first: Salesforce's message field holds 255 characters),
 * Partner Center's value of each plain one, and the way out: the exact command an admin runs, naming this
 * record; where each field is one a seller types, also typing Partner Center's value (the next sync closes
 * the conflict, docs/sync.md). Until 2026-12-06 it said "changed in both" also for a rebuilt link (no
 * history: the two sides differ), asked the seller to type a status or stage, and named the command without
 * the record or the side to take.
 */
export function conflictMessage(units: readonly string[], pc: Referral, labels: FieldLabels, crmId: string): string {
  const named = units.map((unit) => {
    const value = readUnit(pc, unit);
    const plain = typeof value !== 'object' || value === null || 'substatus' in value;
    return plain ? `${fieldLabel(unit, labels)} (Partner Center: ${showValue(value)})` : fieldLabel(unit, labels);
  });
  const typed = units.every((unit) => !NOT_TYPED.has(unit) && typeof readUnit(pc, unit) !== 'object');
  const command = `cosell conflicts resolve ${crmId} --take crm|partner-center`;
  return `The CRM and Partner Center differ, so neither is sent: ${[...new Set(named)].join(', ')}. A co-sell admin keeps one side with "${command}"${typed ? ", or type Partner Center's value here" : ''}.`;
}

const problemsOf = (deal: CrmDeal): Violation[] => deal.problems.map((p) => ({ code: p.code, field: p.field, message: p.message, severity: 'error' as const }));

/** The units to send to Partner Center, checked against its rules and the Won hold; sets `work.send` or why not. */
function decideSend(ctx: RunContext, work: PairWork, units: string[]): void {
  const { deal, pcCurrent, m } = work;
  const parked = ctx.records.getParked('crm', deal.crmId);
  let pcUnits = units;
  let nextPc = referralUpdate(pcCurrent, m.merged, pcUnits);
  const held = holdUntil(ctx, pcCurrent, nextPc);
  if (held) {
    work.heldUntil = held;
    // The Won stage is the Won status (rule sales_stage.won_requires_won_status): both wait.
    const waiting = nextPc.salesStage === 'Won' ? ['status', 'salesStage'] : ['status'];
    nextPc = withUnits(nextPc, pcCurrent, waiting);
    work.unsentToPc.push(...waiting);
    pcUnits = pcUnits.filter((u) => !waiting.includes(u));
    ctx.tally.add('held');
  }
  const problems = problemsOf(deal);
  const violations = withRuleErrors(problems, checkChange(pcCurrent, nextPc, { actor: 'us', now: ctx.now() }));
  if (violations.length > 0) {
    work.unsentToPc.push(...pcUnits);
    work.state = 'error';
    work.message = describeViolations(violations, ctx.crm.fieldLabels);
    work.park = parkRecord(ctx, deal, work.crmView, violations);
  } else if (pcUnits.length > 0) {
    work.send = { next: nextPc, units: pcUnits, wasParked: parked !== undefined };
  }
}

/**
 * An open conflict whose fields the two sides now hold alike (someone typed the other side's value): there
 * is nothing left for an admin, and kept open it would hold those fields against the next edit on one side
 * (found by the model-based test under the manual policy). The side whose values stand: Partner Center's
 * when it still holds the values the conflict showed for it (the CRM gave in), else the CRM's.
 */
function agreedResolution(open: Conflict, pcCurrent: Referral): ConflictResolution {
  return open.fields.every((unit) => sameValue(readUnit(open.partnerCenter, unit), readUnit(pcCurrent, unit))) ? 'partner-center' : 'crm';
}

/**
 * `hold`: units an admin must settle beyond those of the link's open conflict (differences found when the
 * link was rebuilt under the manual policy); nothing moves on them while the sides differ.
 */
export function decidePair(ctx: RunContext, link: Link, deal: CrmDeal, pcCurrent: Referral, hold: readonly string[]): PairWork {
  const views = linkedCrmViews(deal, link.base);
  const { crmSeen, crmView, crmHolds } = views;
  const open = ctx.records.openConflictFor(deal.crmId);
  const held = [...(open?.fields ?? []), ...hold];
  const m = mergeReferral({ ...linkedMergeInput(deal, link.base, views, pcCurrent, ctx.options.policy), hold: held });
  // Every caller passes a referral Partner Center has just shown (its feed, a read, a create): one it had
  // answered 404 for exists again (a Referrals User put back on the deal's team), so the link is active again.
  // Until 2026-12-06 it stayed `referral-missing` and the CRM phase skipped every later seller edit.
  const linkState = link.state === 'referral-missing' ? 'active' : link.state;
  const work: PairWork = { link, deal, pcCurrent, pcAfter: pcCurrent, crmSeen, crmView, crmHolds, m, state: 'synced', message: '', unpark: false, linkState, unsentToPc: [] };

  if (m.manual.length > 0) {
    work.state = 'conflict';
    work.message = conflictMessage(m.manual, pcCurrent, ctx.crm.fieldLabels, deal.crmId);
    if (!open) {
      work.conflict = { crmId: deal.crmId, referralId: link.referralId, fields: m.manual, base: link.base, crm: crmView, partnerCenter: pcCurrent, detectedAt: ctx.nowIso };
      ctx.tally.add('conflicts');
    }
  }
  if (open && !open.fields.some((unit) => m.manual.includes(unit))) {
    work.closeConflict = { id: open.id, resolution: agreedResolution(open, pcCurrent) };
  } else if (open && open.fields.some((unit) => !sameValue(readUnit(open.crm, unit), readUnit(crmView, unit)) || !sameValue(readUnit(open.partnerCenter, unit), readUnit(pcCurrent, unit)))) {
    work.refreshConflict = { id: open.id, sides: { crm: crmView, partnerCenter: pcCurrent } };
  }

  let pcUnits = m.toPartnerCenter;
  if (pcUnits.length > 0 && isTerminal(pcCurrent)) {
    // Terminal states win: Partner Center accepts nothing more for this deal, so nothing is sent and the
    // CRM's differences stay unsynced (they are not errors a seller could fix). The units stay as they were
    // in the base, so each run finds the same differences: the record says "closed" (not "synced", which
    // would hide that the two disagree) for as long as they last, and "synced" once the seller undoes them.
    work.unsentToPc.push(...pcUnits);
    const outcomeToCrm = m.toCrm.includes('status');
    const edited = pcUnits.filter((u) => !SYNC_FIELDS.find((f) => f.unit === u)?.setByConnector && !restatesFinalState(u, m.merged, pcCurrent, outcomeToCrm));
    pcUnits = [];
    if (edited.length > 0 && work.state === 'synced') {
      work.state = 'closed';
      work.message = closedMessage(pcCurrent, fieldLabels(editedFields(edited, m.merged, pcCurrent), ctx.crm.fieldLabels));
      ctx.tally.add('closed');
    }
  }
  if (pcUnits.length > 0) {
    decideSend(ctx, work, pcUnits);
  } else if (deal.problems.length > 0 && !isTerminal(pcCurrent)) {
    // Nothing changed that could be sent, yet the record holds something that cannot be mapped (a
    // stage-only move to an unmapped stage reads as no stage at all): the seller must still see why.
    const violations = problemsOf(deal);
    work.state = 'error';
    work.message = describeViolations(violations, ctx.crm.fieldLabels);
    const parked = ctx.records.getParked('crm', deal.crmId);
    if (!parked || parked.fingerprint !== contentFingerprint(crmView)) {
      work.park = parkRecord(ctx, deal, crmView, violations);
      ctx.tally.add('parked');
    }
  } else if (ctx.records.getParked('crm', deal.crmId) && deal.problems.length === 0) {
    work.unpark = true;
  }
  return work;
}
