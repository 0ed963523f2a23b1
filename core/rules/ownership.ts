/**
 * What stays fixed and who owns what: terminal deals are locked, identifiers and location never change,
 * Microsoft's side is read-only for partners, the inviter cannot rewrite a P2P invitation's terms, and
 * Microsoft and other partners change only their own part of the engagement.
 */
import { changedPaths } from '../model/diff.js';
import type { Referral } from '../model/referral.js';
import { isTerminal } from './status.js';
import { error, type RuleContext, type Violation } from './violation.js';

/** Fields Partner Center maintains itself, never "changes" in the sense of the rules. */
const SERVER_MANAGED = new Set(['eTag', 'updatedAt']);
/** Parts owned by other parties of the engagement, which keep moving after our referral closed. */
const OTHER_PARTIES = (path: string) => path.startsWith('microsoft.');
const IDENTITY = ['referralId', 'engagementId', 'direction', 'createdAt', 'initiator'] as const;

export function checkTerminalLock(prev: Referral, next: Referral, ctx: RuleContext): Violation[] {
  if (!isTerminal(prev)) return [];
  const changed = changedPaths(prev, next).filter((p) => !SERVER_MANAGED.has(p) && !OTHER_PARTIES(p) && !(p === 'invitations' && ctx.actor === 'partner'));
  return changed.map((field) =>
    field === 'invitations'
      ? error('invitation.after_completion', field, `Partners can be invited only before the deal is complete; it is ${prev.substatus}.`)
      : error('terminal.locked', field, `This deal is ${prev.substatus}, a final state: Partner Center allows no further changes (tried to change ${field}).`),
  );
}

/**
 * `changed`: `changedPaths(prev, next)` when the caller has it already (checkChange compares the two
 * referrals once for every rule that needs it; each rule compared them again before).
 */
export function checkImmutables(prev: Referral, next: Referral, changed: readonly string[] = changedPaths(prev, next)): Violation[] {
  const out: Violation[] = [];
  if (prev.location !== undefined && prev.location !== next.location) {
    out.push(error('location.immutable', 'location', `The location cannot be changed after the deal is created (it is ${prev.location}).`));
  }
  for (const key of IDENTITY) {
    if (prev[key] !== undefined && changed.includes(key)) out.push(error('identity.immutable', key, 'Partner Center sets it when the deal is created, and it cannot change.'));
  }
  return out;
}

/** Microsoft's status on the deal is read-only for partners, and foreign parties touch only their part. `changed` as for checkImmutables. */
export function checkActorScope(prev: Referral, next: Referral, ctx: RuleContext, changedPathsOf: readonly string[] = changedPaths(prev, next)): Violation[] {
  const changed = changedPathsOf.filter((p) => !SERVER_MANAGED.has(p));
  if (ctx.actor === 'us') {
    return changed.filter(OTHER_PARTIES).map((field) => error('microsoft.read_only', field, "Microsoft's status on the deal is read-only; it changes only when Microsoft acts."));
  }
  const own = (p: string) =>
    ctx.actor === 'microsoft' ? OTHER_PARTIES(p) || p === 'status' || p === 'substatus' : p === 'invitations';
  return changed
    .filter((p) => !own(p))
    .map((field) => error('actor.not_owner', field, `${ctx.actor === 'microsoft' ? 'Microsoft' : 'Another partner'} cannot change ${field} on this company's referral.`));
}

/** The inviter cannot change an invitation's close date or value once the invitation exists. */
export function checkInvitationTerms(prev: Referral, next: Referral, ctx: RuleContext): Violation[] {
  if (ctx.actor !== 'us' || prev.direction !== 'outbound') return [];
  const out: Violation[] = [];
  prev.invitations.forEach((before) => {
    const i = next.invitations.findIndex((inv) => inv.partner.id === before.partner.id);
    const after = next.invitations[i];
    if (!after) return;
    for (const key of ['closeDate', 'value', 'currency'] as const) {
      if (before[key] !== after[key]) {
        out.push(error('invitation.inviter_cannot_change', `invitations[${i}].${key}`, `You cannot change the ${key === 'closeDate' ? 'close date' : key} you gave ${before.partner.name ?? before.partner.id} after inviting them; only the invited partner can.`));
      }
    }
  });
  return out;
}
