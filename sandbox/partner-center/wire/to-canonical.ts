/**
 * The sandbox's own reading of a stored referral into the canonical model, so that `core/rules` (the
 * rules are the point of sharing) can judge it. Written from the documentation, not from the
 * connector's mapping: the two readings are independent on purpose.
 *
 * Close reasons: the documented field is `statusReason`, free text ("explain why the referral was
 * lost", "Create a referral" request table). A close as Declined/Lost is accepted with it alone: text
 * naming one of the eight Partner Center reasons (its label, its CSV code 1–8 or the API spelling
 * below) is read as that reason, any other text as "Others". The sandbox's `statusReasonCode`
 * extension (UNVERIFIED) stays optional and wins when present.
 */
import {
  CloseReason,
  DealType,
  Direction,
  HelpType,
  MICROSOFT_ORGANIZATION_ID,
  MicrosoftStatus,
  ReferralStatus,
  ReferralSubstatus,
  SolutionKind,
  deriveDealType,
  salesStageFromApi,
  type Contact,
  type Referral,
  type Solution,
} from '../../../core/model/index.js';
import type { WireMember, WireReferral, WireSolution } from './types.js';

/** A value the canonical model cannot hold; the service answers 400 naming `field`. */
export class WireReadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'WireReadError';
  }
}

function read<T>(field: string, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    throw new WireReadError(field, (error as Error).message);
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function dateOnly(field: string, instant: unknown): string | undefined {
  if (typeof instant !== 'string' || instant === '') return undefined;
  const t = Date.parse(instant);
  if (Number.isNaN(t)) throw new WireReadError(field, `${JSON.stringify(instant)} is not a date-time`);
  return new Date(t).toISOString().slice(0, 10);
}

function contact(member: WireMember): Contact {
  return { firstName: member.firstName ?? '', lastName: member.lastName ?? '', phone: member.phoneNumber ?? '', email: member.email ?? '' };
}

function solution(s: WireSolution, field: string): Solution {
  // Without `solutionType` (the 2019 samples), a SOL-Microsoft… id is Microsoft's, anything else a third party's.
  const kind = s.solutionType ?? (/^SOL-Microsoft/i.test(s.id) ? SolutionKind.toApi('microsoft') : SolutionKind.toApi('other-partner'));
  const out: Solution = { id: s.id, kind: read(`${field}.solutionType`, () => SolutionKind.fromApi(kind)) };
  if (s.name) out.name = s.name;
  if (s.currency) out.currency = s.currency;
  if (typeof s.price === 'number') out.price = s.price;
  if (typeof s.quantity === 'number') out.quantity = s.quantity;
  if (typeof s.incentiveEligible === 'boolean') out.incentiveEligible = s.incentiveEligible;
  if (s.assessmentLocation) out.assessmentLocation = s.assessmentLocation;
  return out;
}

/** `statusReason` text → one of the eight reasons (see the header). */
export function closeReasonFromText(reason: string): CloseReason {
  const wanted = reason.trim().toLowerCase();
  const match = CloseReason.values.find((v) => [v.api, v.code, v.label, v.name].some((s) => s.toLowerCase() === wanted));
  return match ? match.name : 'other';
}

function closeReason(json: WireReferral): CloseReason | undefined {
  if (json.statusReasonCode) return read('statusReasonCode', () => CloseReason.fromApi(json.statusReasonCode));
  if (json.statusReason && json.statusReason.trim() !== '') return closeReasonFromText(json.statusReason);
  return undefined;
}

function direction(json: WireReferral): Referral['direction'] {
  if (json.direction) return read('direction', () => Direction.fromApi(json.direction));
  const by = json.inviteContext?.invitedBy?.organizationId;
  return by && json.organizationId && by !== json.organizationId ? 'inbound' : 'outbound';
}

export function readCanonical(json: WireReferral): Referral {
  const dir = direction(json);
  const profile = json.customerProfile ?? {};
  const address = profile.address ?? {};
  const help = json.inviteContext?.assistanceRequestCode;
  const consent = json.consent ?? {};
  const requiredEnum = <T>(field: string, value: unknown, convert: (v: unknown) => T): T => {
    if (value === undefined || value === null) throw new WireReadError(field, 'is missing');
    return read(field, () => convert(value));
  };
  const status = requiredEnum('status', json.status, (v) => ReferralStatus.fromApi(v));
  const substatus = requiredEnum('substatus', json.substatus, (v) => ReferralSubstatus.fromApi(v));
  const duns = (profile.ids ?? []).find((id) => String(id.profileType).toLowerCase() === 'duns')?.id;
  const customer: Referral['customer'] = { name: profile.name ?? '' };
  for (const key of ['addressLine1', 'addressLine2', 'city', 'state', 'postalCode', 'country'] as const) {
    const value = text(address[key]);
    if (value !== undefined) customer[key] = value;
  }
  if (duns) customer.duns = duns;
  const referral: Referral = {
    dealName: json.name ?? '',
    customer,
    team: (json.team ?? []).map(contact),
    solutions: (json.details?.requirements?.solutions ?? []).map((s, i) => solution(s, `details.requirements.solutions[${i}]`)),
    dealType: 'private',
    direction: dir,
    status,
    substatus,
    shareWithMicrosoftSellers: consent.consentToShareReferralWithMicrosoftSellers ?? false,
    invitations: (json.partnerInvitations ?? []).map((inv, i) => ({
      partner: inv.organizationName ? { id: inv.organizationId, name: inv.organizationName } : { id: inv.organizationId },
      value: num(inv.dealValue) ?? 0,
      currency: inv.currency,
      closeDate: dateOnly(`partnerInvitations[${i}].closingDateTime`, inv.closingDateTime) ?? '',
      ...(inv.notes ? { notes: inv.notes } : {}),
      team: (inv.team ?? []).map(contact),
      solutions: (inv.solutions ?? []).map((s, j) => solution(s, `partnerInvitations[${i}].solutions[${j}]`)),
      ...(inv.helpWanted ? { helpWanted: inv.helpWanted } : {}),
      ...(inv.substatus ? { status: read(`partnerInvitations[${i}].substatus`, () => ReferralSubstatus.fromApi(inv.substatus)) } : {}),
    })),
    consentToShareContacts: consent.consentToShareInfoWithOthers ?? consent.consentToToShareInfoWithOthers ?? false,
    favorite: json.favorite ?? false,
  };
  const optional: Partial<Referral> = {
    referralId: text(json.id),
    engagementId: text(json.engagementId),
    eTag: text(json.eTag),
    crmId: text(json.externalReferenceId),
    location: text(json.locationId),
    value: num(json.details?.dealValue),
    currency: text(json.details?.currency),
    closeDate: dateOnly('details.closingDateTime', json.details?.closingDateTime),
    marketingCampaignId: text(json.campaignId),
    notes: text(json.details?.notes),
    customerContact: profile.team?.[0] ? contact(profile.team[0]) : undefined,
    salesStage: json.salesStage ? read('salesStage', () => salesStageFromApi(json.salesStage)) : json.substatus === 'Won' ? 'Won' : status === 'Active' ? (dir === 'inbound' ? 'Accepted' : 'Created') : undefined,
    // `Unknown` is the documented "no help required".
    helpType: help && help.toLowerCase() !== 'unknown' ? read('inviteContext.assistanceRequestCode', () => HelpType.fromApi(help)) : undefined,
    notesToMicrosoft: text(json.inviteContext?.notes),
    microsoft: json.microsoftEngagement
      ? { status: read('microsoftEngagement.status', () => MicrosoftStatus.fromApi(json.microsoftEngagement?.status)), ...(json.microsoftEngagement.requestedDateTime ? { requestedAt: json.microsoftEngagement.requestedDateTime } : {}), ...(json.microsoftEngagement.crmId ? { crmId: json.microsoftEngagement.crmId } : {}) }
      : undefined,
    closeReason: closeReason(json),
    closeNotes: text(json.statusReason),
    initiator: json.inviteContext?.invitedBy ? { id: json.inviteContext.invitedBy.organizationId, ...(json.inviteContext.invitedBy.organizationName ? { name: json.inviteContext.invitedBy.organizationName } : {}) } : undefined,
    createdAt: text(json.createdDateTime),
    updatedAt: text(json.updatedDateTime),
    acceptedAt: text(json.acceptedDateTime),
    expiresAt: text(json.expirationDateTime),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (referral as unknown as Record<string, unknown>)[key] = value;
  referral.dealType = deriveDealType(referral);
  return referral;
}

/**
 * The deal type as the sandbox serves it in its read-only `dealType` extension. A partner's request
 * reaching Microsoft is, for Microsoft, a co-sell deal rather than a partner-to-partner one.
 */
export function servedDealType(json: WireReferral, canonical: Referral): string {
  const microsoftsCopy = json.organizationId === MICROSOFT_ORGANIZATION_ID && canonical.direction === 'inbound';
  return DealType.toApi(microsoftsCopy ? 'co-sell' : canonical.dealType);
}
