/**
 * Deal types, visibility and invitations: the type follows the help and sharing answers, types only
 * upgrade (mappings/deal-type-upgrades.ts), visibility to Microsoft is never withdrawn, partners are
 * invited only to outbound deals by the company that initiated them, and Microsoft has 14 days to take
 * up a co-sell request.
 */
import { DEAL_TYPE_UPGRADES } from '../../mappings/deal-type-upgrades.js';
import { deriveDealType } from '../model/deal-type.js';
import { DealType } from '../model/enums.js';
import type { PartnerInvitation, Referral } from '../model/referral.js';
import { microsoftDecisionDue, microsoftDecisionEndsAt } from './deadlines.js';
import { error, warning, type RuleContext, type Violation } from './violation.js';

export function checkDealTypeConsistency(r: Referral): Violation[] {
  const out: Violation[] = [];
  if (r.direction === 'outbound' && r.helpType && !r.shareWithMicrosoftSellers) {
    out.push(error('deal_type.help_requires_sharing', 'shareWithMicrosoftSellers', 'Asking Microsoft for help shares the deal with Microsoft sellers; set "share with Microsoft sellers" to yes.'));
  }
  const derived = deriveDealType(r);
  if (r.dealType !== derived) {
    out.push(error('deal_type.mismatch', 'dealType', `The deal is marked ${DealType.label(r.dealType)} but its answers make it a ${DealType.label(derived)}.`));
  }
  if (r.direction === 'inbound' && r.invitations.length > 0) {
    out.push(error('invitation.inbound_not_allowed', 'invitations', 'Partners cannot be invited to an inbound deal.'));
  }
  return out;
}

export function checkDealTypeChange(prev: Referral, next: Referral): Violation[] {
  const out: Violation[] = [];
  if (prev.dealType !== next.dealType && !DEAL_TYPE_UPGRADES[prev.dealType].includes(next.dealType)) {
    out.push(error('deal_type.no_downgrade', 'dealType', `A ${DealType.label(prev.dealType)} cannot become a ${DealType.label(next.dealType)}; deals only upgrade (private → partner-led → co-sell).`));
  }
  if (prev.shareWithMicrosoftSellers && !next.shareWithMicrosoftSellers) {
    out.push(error('visibility.cannot_withdraw', 'shareWithMicrosoftSellers', 'Once Microsoft sellers can see a deal, that cannot be withdrawn.'));
  }
  if (prev.helpType && !next.helpType) {
    out.push(error('visibility.cannot_withdraw', 'helpType', 'A co-sell request to Microsoft cannot be withdrawn; you can change the kind of help asked.'));
  }
  return out;
}

export function checkInvitationChange(prev: Referral, next: Referral, ctx: RuleContext): Violation[] {
  const before = new Set(prev.invitations.map((inv) => inv.partner.id));
  const added = next.invitations.filter((inv) => !before.has(inv.partner.id));
  if (added.length === 0) return [];
  const names = added.map((inv) => inv.partner.name ?? inv.partner.id).join(', ');
  if (next.direction === 'inbound') return []; // reported by checkDealTypeConsistency
  if (ctx.actor !== 'us') return [error('invitation.initiator_only', 'invitations', `Only the company that initiated the deal can invite partners (${names}).`)];
  return checkNewInvitations(next, added); // after completion: reported by the terminal lock as invitation.after_completion
}

/**
 * Invitations the inviter deleted on their side while Partner Center holds them. None can be withdrawn: the
 * PATCH takes only `replace` and `add` (partner-center-api.md §1.6) and the inviter cannot modify an
 * invitation once made (§1.11), so each partner stays invited. A warning: nothing is refused, the seller is
 * told. Short: Salesforce's message field keeps 255 characters, and the rule code must stay on the record.
 */
export function checkInvitationsKept(kept: readonly PartnerInvitation[]): Violation[] {
  if (kept.length === 0) return [];
  const names = kept.map((i) => (i.partner.name ? `${i.partner.name} (${i.partner.id})` : i.partner.id)).join(', ');
  const message = kept.length === 1
    ? `the deleted invitation to partner ${names} stays in Partner Center: an invitation cannot be withdrawn.`
    : `the deleted invitations to partners ${names} stay in Partner Center: an invitation cannot be withdrawn.`;
  return [warning('invitation.cannot_withdraw', 'invitations', message)];
}

/** What the inviter must give each newly invited partner (seed: "At least one solution is mandatory"). */
export function checkNewInvitations(r: Referral, added: Referral['invitations'] = r.invitations): Violation[] {
  return added.flatMap((inv) => {
    const i = r.invitations.indexOf(inv);
    return inv.solutions.length > 0 ? [] : [error('invitation.solution_required', `invitations[${i}].solutions`, `Add at least one solution for partner ${inv.partner.name ?? inv.partner.id} to bring to the deal; Partner Center requires one per invitation.`)];
  });
}

export function checkMicrosoftDecision(prev: Referral, next: Referral, ctx: RuleContext): Violation[] {
  if (ctx.actor !== 'microsoft') return [];
  const answered = prev.microsoft && next.microsoft && prev.microsoft.status !== next.microsoft.status && (next.microsoft.status === 'Accepted' || next.microsoft.status === 'Declined');
  if (answered && microsoftDecisionDue(prev, ctx.now)) {
    return [error('microsoft.decision_window_closed', 'microsoft.status', `Microsoft's 14 days to take up this co-sell request ended on ${microsoftDecisionEndsAt(prev)?.toISOString()}.`)];
  }
  return [];
}
