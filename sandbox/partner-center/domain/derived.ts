/**
 * Fields the service owns: identity, timestamps, eTag, links, and the sandbox's derived extensions
 * (the deal type, Microsoft's engagement, invitation answers). Clients never set them; PATCH paths that
 * touch them are refused as read-only, and on create or PUT they are taken from the server's state.
 */
import { randomUUID } from 'node:crypto';
import { MICROSOFT_ORGANIZATION_ID, type Referral } from '../../../core/model/index.js';
import { readCanonical, servedDealType } from '../wire/to-canonical.js';
import type { WireReferral as ApiReferral, WireTarget as ApiTarget } from '../wire/types.js';

/** Top-level properties a client may not write (PATCH paths under them are refused). */
export const READ_ONLY_PROPERTIES = new Set([
  'id',
  'organizationId',
  'organizationName',
  'createdDateTime',
  'updatedDateTime',
  'acceptedDateTime',
  'expirationDateTime',
  'eTag',
  'links',
  'dealType',
  'lastModifiedVia',
  // Sandbox extension (UNVERIFIED): set by Partner Center's own registration flow, never by a client.
  'dealRegistration',
]);

/** Properties the server fills on create, whatever the body says. */
export const SERVER_SET_ON_CREATE: ReadonlySet<string> = new Set([...READ_ONLY_PROPERTIES, 'direction', 'microsoftEngagement']);

/** eTags are quoted opaque strings, as in the docs' samples (§1.7 "Quoted GUID-like string"). */
export const newETag = (): string => `"${randomUUID()}"`;

/**
 * Maps the JSON to the canonical referral with the deal type derived from the answers (the sandbox's
 * read-only `dealType` extension is never taken from a client), then writes the type back.
 */
export function canonicalWithDerivedType(json: ApiReferral): Referral {
  const canonical = readCanonical(json);
  json.dealType = servedDealType(json, canonical);
  return canonical;
}

/**
 * `target` lists who is invited (§1.7 Target, §1.10): Microsoft when help is asked, and every invited
 * partner. Raw clients following the docs may send only the consent and help fields, so the targets
 * they imply are added.
 */
export function normalizeTargets(json: ApiReferral): ApiTarget[] {
  const targets = [...(json.target ?? [])];
  const has = (id: string) => targets.some((t) => t.id === id);
  const help = json.inviteContext?.assistanceRequestCode;
  if (help && help.toLowerCase() !== 'unknown' && !has(MICROSOFT_ORGANIZATION_ID)) targets.push({ type: 'BusinessProfileLocation', id: MICROSOFT_ORGANIZATION_ID });
  for (const invitation of json.partnerInvitations ?? []) {
    if (!has(invitation.organizationId)) targets.push({ type: 'BusinessProfileLocation', id: invitation.organizationId });
  }
  json.target = targets;
  return targets;
}

/** Server-side effects of a write the rules accepted: a new co-sell request starts Microsoft's 14 days; new invitations await an answer. */
/**
 * Partner Center's own knowledge of which solutions carry an IP co-sell incentive (seed FAQ: "Only IP
 * incentives are eligible for deal registration"). CRMs do not hold it; the sandbox's catalogue marks the
 * Azure IP co-sell range `SOL-AZIP-…` eligible, besides what a client states. Sandbox extension.
 */
export const INCENTIVE_ELIGIBLE_SOLUTION = /^SOL-AZIP-/i;

export function applyServerDerivedFields(json: ApiReferral, now: string): void {
  for (const solution of json.details?.requirements?.solutions ?? []) {
    if (INCENTIVE_ELIGIBLE_SOLUTION.test(String(solution.id ?? ''))) solution.incentiveEligible = true;
  }
  const targets = normalizeTargets(json);
  if (targets.some((t) => t.id === MICROSOFT_ORGANIZATION_ID) && json.organizationId !== MICROSOFT_ORGANIZATION_ID && !json.microsoftEngagement) {
    json.microsoftEngagement = { status: 'Pending', requestedDateTime: now };
  }
  for (const invitation of json.partnerInvitations ?? []) if (!invitation.substatus) invitation.substatus = 'Pending';
  if (json.status === 'Active' && !json.acceptedDateTime) json.acceptedDateTime = now;
}

export function stamp(json: ApiReferral, now: string): void {
  json.eTag = newETag();
  json.updatedDateTime = now;
}

/** `links` as the docs show them (§1.7), pointing at the sandbox host. */
export function linksOf(json: ApiReferral, apiBaseUrl: string): NonNullable<ApiReferral['links']> {
  const self = `${apiBaseUrl}/v1.0/engagements/referrals/${json.id ?? ''}`;
  const related = `${apiBaseUrl}/v1.0/engagements/referrals?$filter=${encodeURIComponent(`engagementId eq '${json.engagementId ?? ''}'`)}`;
  return { self: { uri: self, method: 'GET' }, relatedReferrals: { uri: related, method: 'GET' } };
}
