/**
 * One engagement, several referrals: each party (our partner, another partner, Microsoft) has its own
 * referral with the same `engagementId` (partner-center-api.md §1.7, §1.10 "shared referral" recipe).
 *
 * - Fan-out: every organisation named in a referral's `target` that has no referral in the engagement
 *   yet receives an inbound copy, New/Pending, expiring after 14 days ("If you don't respond within the
 *   allotted time (currently 14 days), we'll archive it as Expired", seed).
 * - Answers flow back: when the receiver of a copy answers (accepts, declines, wins, loses, expires),
 *   the sender's referral shows it: Microsoft's answer in `microsoftEngagement.status`, a partner's in
 *   its `partnerInvitations` entry (and the value and close date it is allowed to change, seed P2P).
 */
import { copyPlain } from '../../common/plain-copy.js';
import { randomUUID } from 'node:crypto';
import { MICROSOFT_ORGANIZATION_ID } from '../../../core/model/index.js';
import type { WirePartnerInvitation as ApiPartnerInvitation, WireReferral as ApiReferral } from '../wire/types.js';
import type { Organizations } from '../organizations.js';
import type { StoredReferral } from '../store.js';
import { newETag } from './derived.js';

const DAY_MS = 86_400_000;
export const INBOUND_WINDOW_DAYS = 14;

/** The inbound referral `receiver` gets when `sender` invites it. */
export function inboundCopy(sender: StoredReferral, receiver: string, orgs: Organizations, now: Date, locationId?: string): StoredReferral {
  const iso = now.toISOString();
  const invitation: ApiPartnerInvitation | undefined = sender.partnerInvitations?.find((i) => i.organizationId === receiver);
  const details = invitation
    ? {
        notes: invitation.notes ?? null,
        dealValue: invitation.dealValue,
        currency: invitation.currency,
        closingDateTime: invitation.closingDateTime,
        requirements: { solutions: copyPlain(invitation.solutions ?? []) },
      }
    : copyPlain(sender.details ?? {});
  return {
    id: randomUUID(),
    engagementId: sender.engagementId,
    organizationId: receiver,
    organizationName: orgs.name(receiver),
    name: sender.name ?? null,
    createdDateTime: iso,
    updatedDateTime: iso,
    expirationDateTime: new Date(now.getTime() + INBOUND_WINDOW_DAYS * DAY_MS).toISOString(),
    status: 'New',
    substatus: 'Pending',
    type: 'Shared',
    qualification: receiver === MICROSOFT_ORGANIZATION_ID ? 'None' : sender.organizationId === MICROSOFT_ORGANIZATION_ID ? 'SalesQualified' : 'None',
    direction: 'Incoming',
    locationId: locationId ?? orgs.get(receiver)?.locations[0] ?? null,
    customerProfile: copyPlain(sender.customerProfile ?? { name: '' }),
    consent: copyPlain(sender.consent ?? {}),
    details,
    // For P2P deals "the team can have employees from both your company and the company sending the invitation" (seed).
    team: copyPlain(invitation?.team ?? sender.team ?? []),
    inviteContext: {
      notes: invitation?.notes ?? sender.inviteContext?.notes ?? null,
      invitedBy: { organizationId: sender.organizationId, organizationName: orgs.name(sender.organizationId) },
    },
    target: [],
    partnerInvitations: [],
    favorite: false,
    eTag: newETag(),
  };
}

/** Organisations named in `target` that are known, not the owner, and not yet in the engagement. */
export function newlyInvited(referral: ApiReferral, engagement: readonly StoredReferral[], orgs: Organizations): { org: string; locationId?: string }[] {
  const present = new Set(engagement.map((r) => r.organizationId));
  const out: { org: string; locationId?: string }[] = [];
  for (const target of referral.target ?? []) {
    if (target.type !== 'BusinessProfileLocation' || !orgs.has(target.id) || target.id === referral.organizationId || present.has(target.id)) continue;
    present.add(target.id);
    const locationId = typeof target.locationId === 'string' ? target.locationId : undefined;
    out.push(locationId ? { org: target.id, locationId } : { org: target.id });
  }
  return out;
}

/** The sender's referral in the engagement: the one that invited `copy`'s owner. */
export function senderOf(copy: StoredReferral, engagement: readonly StoredReferral[]): StoredReferral | undefined {
  const by = copy.inviteContext?.invitedBy?.organizationId;
  if (copy.direction !== 'Incoming' || !by) return undefined;
  return engagement.find((r) => r.organizationId === by && r.id !== copy.id);
}

/**
 * How the sender's referral changes when the receiver's copy changed from `before` to `after`, or
 * undefined when nothing the sender sees has changed.
 */
export function reflectAnswer(sender: StoredReferral, before: StoredReferral, after: StoredReferral): StoredReferral | undefined {
  const next = copyPlain(sender);
  let changed = false;
  if (after.organizationId === MICROSOFT_ORGANIZATION_ID) {
    if (next.microsoftEngagement && before.substatus !== after.substatus && after.substatus) {
      next.microsoftEngagement.status = after.substatus;
      changed = true;
    }
    return changed ? next : undefined;
  }
  const invitation = next.partnerInvitations?.find((i) => i.organizationId === after.organizationId);
  if (!invitation) return undefined;
  if (before.substatus !== after.substatus && after.substatus) {
    invitation.substatus = after.substatus;
    changed = true;
  }
  // "The invited partner can change this value after creating the deal" (seed, P2P).
  const d = after.details;
  const was = before.details;
  if (d && (d.dealValue !== was?.dealValue || d.currency !== was?.currency || d.closingDateTime !== was?.closingDateTime)) {
    if (d.dealValue !== undefined && d.dealValue !== null) invitation.dealValue = d.dealValue;
    if (d.currency) invitation.currency = d.currency;
    if (d.closingDateTime) invitation.closingDateTime = d.closingDateTime;
    changed = true;
  }
  return changed ? next : undefined;
}
