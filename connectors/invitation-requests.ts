/**
 * Partner-to-partner invitations as a seller asks for them in a CRM: one child record per invited
 * partner (Salesforce `Cosell_Partner_Invitation__c`, Dataverse `{prefix}partnerinvitation`), with the
 * details Partner Center asks for per invited partner (seed "Partner to Partner (P2P) deal"): close date,
 * value and currency, notes, our team, at least one solution, and the help needed. Shared by both
 * adapters, pure.
 *
 * What the seller leaves empty is pre-filled from the deal, as Partner Center's own form does ("Employee
 * details entered in your deal data are pre-filled"): the deal's close date, value and currency, its
 * whole team and all its solutions. Team members and solutions are chosen from the deal's own (by email
 * and by solution ID); naming one the deal does not have is a problem on the record, never an invitation
 * sent without it. The old single "invite partner ID" field stays as a shortcut: an invitation with
 * every detail pre-filled.
 */
import type { PartnerInvitation, Referral } from '../core/model/referral.js';
import type { MappingProblem } from '../core/engine/crm-port.js';

export interface InvitationRequest {
  partnerId: string;
  closeDate?: string;
  value?: number;
  currency?: string;
  notes?: string;
  /** Emails of deal-team members to add; empty = the whole deal team. */
  teamEmails: string[];
  /** Solution IDs from the deal; empty = all of the deal's solutions. */
  solutionIds: string[];
  helpNeeded?: string;
}

/** Splits a list cell (`a@x.example; b@x.example`, one per line or comma-separated). */
export function listCell(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/[;,\n]/).map((s) => s.trim()).filter(Boolean) : [];
}

/** A request from a CRM row's raw values (texts trimmed, empty = not given, lists split). */
export function invitationRequestOf(raw: Partial<Record<keyof InvitationRequest, unknown>>): InvitationRequest {
  const text = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
  const closeDate = text(raw.closeDate);
  const currency = text(raw.currency);
  const notes = text(raw.notes);
  const help = text(raw.helpNeeded);
  return {
    partnerId: text(raw.partnerId) ?? '',
    ...(closeDate ? { closeDate: closeDate.slice(0, 10) } : {}),
    ...(typeof raw.value === 'number' ? { value: raw.value } : {}),
    ...(currency ? { currency } : {}),
    ...(notes ? { notes } : {}),
    teamEmails: listCell(raw.teamEmails),
    solutionIds: listCell(raw.solutionIds),
    ...(help ? { helpNeeded: help } : {}),
  };
}

/**
 * The "invite partner ID" field: one invitation with every detail pre-filled per partner it names. A deal may
 * invite several partners, so the field takes a list (`a; b`) as the row's list cells do; a partner ID holds no
 * separator.
 */
export function withShortcut(requests: InvitationRequest[], partnerIds: unknown): InvitationRequest[] {
  return [...requests, ...listCell(partnerIds).map((partnerId) => ({ partnerId, teamEmails: [], solutionIds: [] }))];
}

function invitationOf(request: InvitationRequest, deal: Referral, index: number, problems: MappingProblem[]): PartnerInvitation {
  const field = `invitations[${index}]`;
  const team = request.teamEmails.length === 0 ? deal.team : request.teamEmails.flatMap((email) => {
    const member = deal.team.find((m) => m.email.toLowerCase() === email.toLowerCase());
    if (!member) problems.push({ code: 'invitation.team_unknown', field: `${field}.team`, message: `The invitation to partner ${request.partnerId} names ${email}, who is not on the deal team. Add them to the deal team or remove them from the invitation.` });
    return member ? [member] : [];
  });
  const solutions = request.solutionIds.length === 0 ? deal.solutions : request.solutionIds.flatMap((id) => {
    const solution = deal.solutions.find((s) => s.id.toLowerCase() === id.toLowerCase());
    if (!solution) problems.push({ code: 'invitation.solution_unknown', field: `${field}.solutions`, message: `The invitation to partner ${request.partnerId} names solution ${id}, which is not on the deal. Add it to the deal or choose one of its solutions.` });
    return solution ? [solution] : [];
  });
  return {
    partner: { id: request.partnerId },
    value: request.value ?? deal.value ?? 0,
    currency: request.currency || deal.currency || 'USD',
    closeDate: request.closeDate || deal.closeDate || '',
    ...(request.notes ? { notes: request.notes } : {}),
    team,
    solutions,
    ...(request.helpNeeded ? { helpWanted: request.helpNeeded } : {}),
  };
}

/**
 * The deal's invitations: those Partner Center already reported (kept by the connector) as they are, then
 * one per requested partner not invited yet. Problems name the record's field and what to fix. `requested`:
 * every partner the record's rows and invite-partner field ask for (`Referral.crmInvitationRequests`), so
 * that the engine sees one the seller deletes.
 */
export function requestedInvitations(known: readonly PartnerInvitation[], requests: readonly InvitationRequest[], deal: Referral): { invitations: PartnerInvitation[]; problems: MappingProblem[]; requested: string[] } {
  const problems: MappingProblem[] = [];
  const invited = new Set(known.map((i) => i.partner.id.toLowerCase()));
  const invitations = [...known];
  for (const request of requests) {
    if (!request.partnerId || invited.has(request.partnerId.toLowerCase())) continue;
    invited.add(request.partnerId.toLowerCase());
    invitations.push(invitationOf(request, deal, invitations.length, problems));
  }
  const requested = [...new Set(requests.map((r) => r.partnerId).filter(Boolean))];
  return { invitations, problems, requested };
}
