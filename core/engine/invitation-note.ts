/**
 * A partner invitation the seller deleted on the CRM record (its invitation row, or the invite-partner field
 * emptied) while Partner Center holds it. Partner Center cannot withdraw an invitation: its PATCH takes only
 * `replace` and `add` (partner-center-api.md §1.6), the inviter cannot change an invitation once made
 * (§1.11), and no status withdraws one (the invited partner's own answer is the only way it ends). So the
 * partner stays invited, and the record's message says so, naming the partner and the rule
 * (`invitation.cannot_withdraw`), beside whatever else the sync says. The request is gone from the link's
 * base once seen (`Referral.crmInvitationRequests`), so the note is written once: it stays while nothing else
 * changes and goes with the record's next change, never repeated by later syncs. Pure.
 */
import type { SyncStatus } from './crm-port.js';
import type { PartnerInvitation, Referral } from '../model/referral.js';
import { describeViolations } from '../rules/violation.js';
import { checkInvitationsKept } from '../rules/engagement.js';
import type { FieldLabels } from '../rules/field-labels.js';
import { withKeptNote } from './kept-note.js';

const CODE = 'invitation.cannot_withdraw';
const key = (id: string) => id.trim().toLowerCase();

/** Partner Center's invitations whose request the CRM record held at the last sync and no longer holds. */
export function withdrawnInvitations(base: Referral, crm: Referral, pc: Referral): PartnerInvitation[] {
  if (base.crmInvitationRequests === undefined || crm.crmInvitationRequests === undefined) return [];
  const before = new Set(base.crmInvitationRequests.map(key));
  const now = new Set(crm.crmInvitationRequests.map(key));
  return pc.invitations.filter((i) => before.has(key(i.partner.id)) && !now.has(key(i.partner.id)));
}

/** Why the deleted requests withdrew nothing, or '' when the seller deleted none that Partner Center holds. */
export function invitationNote(base: Referral, crm: Referral, pc: Referral, labels: FieldLabels = {}): string {
  const kept = checkInvitationsKept(withdrawnInvitations(base, crm, pc));
  return kept.length ? describeViolations(kept, labels) : '';
}

/**
 * The message with the note added. Once told, the note stays while the pair is quiet and the record still
 * shows it (a later sync finds the request already gone from the base), and goes with the next change.
 */
export function withInvitationNote(message: string, base: Referral, crm: Referral, pc: Referral, quiet: boolean, last: SyncStatus | undefined, labels: FieldLabels = {}): string {
  return withKeptNote(message, invitationNote(base, crm, pc, labels), [CODE], quiet, last);
}
