/**
 * The base of a link rebuilt from the referral IDs on both sides (the state store was lost or replaced,
 * or a record names a referral the store never linked). There is no last synced version, so a unit the
 * two sides hold differently cannot be told apart as "changed on one side": it is a conflict, and the
 * configured policy decides it — newest-wins by the two records' modification times, crm-wins,
 * partner-center-wins, or manual (left for `cosell conflicts`). Field ownership does not apply: it
 * settles edits made on both sides since a known base, and here most likely one side alone was edited.
 *
 * The decision is expressed as a base, as `settleConflict` does: the losing side's value becomes the
 * base, so the ordinary merge sees the winner's value as the change and sends it to the loser.
 *
 * What no policy overrides: Partner Center's status moves only forward (partner-center-api.md §1.9: New →
 * Active → Closed, and nothing back), so where one side's status can move to the other's and not back, the
 * side further along moved it and the other did not (a referral accepted in Partner Center while the CRM
 * record still says New, or a seller's acceptance not yet sent): it wins under every policy, manual
 * included (`settledBy: 'lifecycle'`). Sending the earlier status would be refused, and leaving it for an
 * admin asks a question with one possible answer. A closed deal stays closed (terminal states are irreversible in Partner
 * Center, and its closed state wins when both are closed); units only Partner Center writes (Microsoft's
 * status, the IDs) are taken from Partner Center. And a referral Partner Center holds closed took no change
 * since it closed ("deals can't be modified once they move to a closed state", rule `terminal.locked`): a
 * difference on it is the CRM's edit after the close, which can never be sent. Partner Center's value is
 * its base, so the pair tells the edit on the record as it does any edit after the close (sync state
 * `closed`, the fields not sent), instead of a conflict no admin can settle usefully (`settledBy: 'closed'`).
 *
 * Pure: no I/O, no clock.
 */
import { SYNC_FIELDS } from '../../../mappings/field-ownership.js';
import { TRANSITIONS, type StatusPair } from '../../../mappings/status-transitions.js';
import { TERMINAL_SUBSTATUSES, type ReferralSubstatus } from '../../model/enums.js';
import type { Referral } from '../../model/referral.js';
import { policyWinner, sidesDiffer, type ConflictPolicy } from './three-way.js';
import { readUnit, writeUnit } from './units.js';

export type RebuildWinner = 'crm' | 'partner-center';

export interface RebuildDecision {
  unit: string;
  /** Undefined: left as it is on both sides for an admin (manual policy), or kept in the CRM only (closed). */
  winner?: RebuildWinner;
  settledBy: 'terminal' | 'lifecycle' | 'policy' | 'manual' | 'closed';
}

export interface RebuildInput {
  crm: Referral;
  pc: Referral;
  policy: ConflictPolicy;
  crmModifiedAt?: string;
  pcUpdatedAt?: string;
}

export interface RebuildResult {
  base: Referral;
  /** One per unit the sides held differently. */
  decisions: RebuildDecision[];
  /** Units left for an admin: the merge holds them (`hold`) until the conflict is settled. */
  manual: string[];
}

const isTerminal = (status: unknown) => TERMINAL_SUBSTATUSES.includes((status as { substatus?: ReferralSubstatus } | undefined)?.substatus as ReferralSubstatus);

const statusPair = (value: unknown): StatusPair | undefined => {
  const v = value as Partial<StatusPair> | undefined;
  return v?.status && v.substatus ? { status: v.status, substatus: v.substatus } : undefined;
};
const movesTo = (from: StatusPair | undefined, to: StatusPair | undefined) =>
  !!from && !!to && TRANSITIONS.some((t) => t.from.status === from.status && t.from.substatus === from.substatus && t.to.status === to.status && t.to.substatus === to.substatus);

/** The side whose status is further along a one-way move from the other's, if there is one. */
function aheadInLifecycle(crm: unknown, pc: unknown): RebuildWinner | undefined {
  const [c, p] = [statusPair(crm), statusPair(pc)];
  if (movesTo(c, p) && !movesTo(p, c)) return 'partner-center';
  if (movesTo(p, c) && !movesTo(c, p)) return 'crm';
  return undefined;
}

function decide(unit: string, crm: unknown, pc: unknown, input: RebuildInput): RebuildDecision {
  if (unit === 'status' && (isTerminal(crm) || isTerminal(pc))) return { unit, winner: isTerminal(pc) ? 'partner-center' : 'crm', settledBy: 'terminal' };
  const ahead = unit === 'status' ? aheadInLifecycle(crm, pc) : undefined;
  if (ahead) return { unit, winner: ahead, settledBy: 'lifecycle' };
  if (isTerminal(input.pc)) return { unit, settledBy: 'closed' };
  const winner = policyWinner(input);
  return winner ? { unit, winner, settledBy: 'policy' } : { unit, settledBy: 'manual' };
}

export function rebuildBase(input: RebuildInput): RebuildResult {
  // Where the sides agree (or one holds nothing), Partner Center's referral is the base, as for a new link.
  let base = input.pc;
  const decisions: RebuildDecision[] = [];
  for (const field of SYNC_FIELDS) {
    // Invitations: the CRM only adds partners and Partner Center owns every detail, so nothing to decide;
    // the CRM record's own ID is a fact, not an edit (Partner Center is told it as for any new link).
    if (field.flows === 'to-crm' || field.kind === 'invitations' || field.unit === 'crmId') continue;
    const crm = readUnit(input.crm, field.unit);
    const pc = readUnit(input.pc, field.unit);
    // A value only Partner Center holds is filled in on the CRM record (an empty CRM field reads as
    // nothing); one only the CRM holds reaches Partner Center the same way, from the referral's base.
    if (crm === undefined && pc !== undefined) base = writeUnit(base, field.unit, undefined);
    if (!sidesDiffer(field, crm, pc)) continue;
    const decision = decide(field.unit, crm, pc, input);
    decisions.push(decision);
    // Partner Center winning: the CRM's value is the base, so Partner Center's reads as the change.
    if (decision.winner === 'partner-center') base = writeUnit(base, field.unit, crm);
  }
  return { base, decisions, manual: decisions.filter((d) => d.settledBy === 'manual').map((d) => d.unit) };
}
