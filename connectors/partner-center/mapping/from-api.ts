/**
 * Partner Center JSON → canonical referral. Pure. The payload is first checked against the API schema,
 * then each enumerated field goes through the conversions of `core/model`, which refuse unknown values;
 * every failure becomes a `ReferralMappingError` naming the referral and the canonical field.
 */
import {
  CloseReason,
  DealType,
  Direction,
  HelpType,
  MicrosoftStatus,
  ReferralStatus,
  ReferralSubstatus,
  deriveDealType,
  salesStageFromApi,
  type Customer,
  type DealRegistration,
  type PartnerInvitation,
  type Referral,
  type SalesStage,
} from '../../../core/model/index.js';
import { isApiReferral } from '../api-checks.js';
import { API_QUALIFICATIONS, apiReferralSchema, type ApiPartnerInvitation, type ApiReferral } from '../api-types.js';
import { memberToContact, solutionFromApi, type FieldConverter } from './contact.js';
import { ReferralMappingError, referralLabel } from './errors.js';
import { compact, dateFromApi, given, orUndefined, toNumber } from './values.js';

function converterFor(label: string): FieldConverter {
  return (field, convert) => {
    try {
      return convert();
    } catch (error) {
      throw new ReferralMappingError(label, field, (error as Error).message, { cause: error });
    }
  };
}

/**
 * Validates the shape; a zod issue is reported with its API path. A referral that fits is returned as it
 * came (api-checks.ts: the compiled check, no copy); only one that does not is parsed, for its first issue.
 */
export function parseApiReferral(json: unknown): ApiReferral {
  if (isApiReferral(json)) return json;
  const parsed = apiReferralSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const raw = (typeof json === 'object' && json !== null ? json : {}) as { id?: string; name?: string };
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') || '(body)';
  throw new ReferralMappingError(referralLabel(typeof raw.id === 'string' || typeof raw.name === 'string' ? raw : undefined), path, issue?.message ?? 'invalid');
}

/**
 * The API's `salesStage` holds only the four middle stages (mappings/sales-stages.ts). Without one, the
 * stage follows from the status: Won once won, Created/Accepted (10%) once the deal is active.
 */
function salesStage(json: ApiReferral, direction: Referral['direction'], at: FieldConverter): SalesStage | undefined {
  if (json.salesStage) return at('salesStage', () => salesStageFromApi(json.salesStage));
  if (json.substatus === 'Won') return 'Won';
  if (json.status === 'Active') return direction === 'inbound' ? 'Accepted' : 'Created';
  return undefined;
}

/** Without `direction` (2019 samples), a referral someone else invited us to is inbound. */
function direction(json: ApiReferral, at: FieldConverter): Referral['direction'] {
  if (json.direction) return at('direction', () => Direction.fromApi(json.direction));
  const by = json.inviteContext?.invitedBy?.organizationId;
  return by && json.organizationId && by !== json.organizationId ? 'inbound' : 'outbound';
}

/**
 * The documented close reason is `statusReason`, free text ("Create a referral"); `statusReasonCode` is an
 * extension (UNVERIFIED) that wins when present. On a Declined or Lost referral, text naming one of the
 * eight reasons (its label, CSV code or API spelling) is that reason and any other text is "Others", so a
 * referral closed as documented still reaches the CRM with a reason.
 */
function closeReasonOf(json: ApiReferral, at: FieldConverter): CloseReason | undefined {
  if (json.statusReasonCode) return at('closeReason', () => CloseReason.fromApi(json.statusReasonCode));
  const text = json.statusReason?.trim();
  if (!text || (json.substatus !== 'Declined' && json.substatus !== 'Lost')) return undefined;
  const wanted = text.toLowerCase();
  return CloseReason.values.find((v) => [v.api, v.code, v.label].some((spelling) => spelling.toLowerCase() === wanted))?.name ?? 'other';
}

function customer(json: ApiReferral): Customer {
  const profile = json.customerProfile;
  const address = profile?.address;
  return compact({
    name: profile?.name ?? '',
    addressLine1: orUndefined(address?.addressLine1),
    addressLine2: orUndefined(address?.addressLine2),
    city: orUndefined(address?.city),
    state: orUndefined(address?.state),
    postalCode: orUndefined(address?.postalCode),
    country: orUndefined(address?.country),
    duns: profile?.ids?.find((id) => id.profileType.toLowerCase() === 'duns')?.id,
  }) as Customer;
}

function invitationFromApi(invitation: ApiPartnerInvitation, field: string, at: FieldConverter): PartnerInvitation {
  return compact({
    partner: compact({ id: invitation.organizationId, name: orUndefined(invitation.organizationName) }),
    value: at(`${field}.value`, () => toNumber(invitation.dealValue) ?? 0),
    currency: invitation.currency,
    closeDate: at(`${field}.closeDate`, () => dateFromApi(invitation.closingDateTime) ?? ''),
    notes: orUndefined(invitation.notes),
    team: (invitation.team ?? []).map(memberToContact),
    solutions: (invitation.solutions ?? []).map((s, i) => solutionFromApi(s, `${field}.solutions[${i}]`, at)),
    helpWanted: orUndefined(invitation.helpWanted),
    status: invitation.substatus ? at(`${field}.status`, () => ReferralSubstatus.fromApi(invitation.substatus)) : undefined,
  }) as PartnerInvitation;
}

const QUALIFICATIONS: readonly string[] = API_QUALIFICATIONS;
const REGISTRATION_STATES: readonly string[] = ['Registered', 'ActionRequired', 'Validated'];

/** An unknown qualification is left out rather than guessed (the referral then is no lead). */
function qualificationOf(value: string | null | undefined): Referral['qualification'] {
  return value && QUALIFICATIONS.includes(value) ? (value as Referral['qualification']) : undefined;
}

/** Sandbox extension `dealRegistration` (UNVERIFIED); an unknown state is left out rather than guessed. */
function registrationOf(reg: ApiReferral['dealRegistration']): Referral['registration'] {
  if (!reg || !REGISTRATION_STATES.includes(reg.status)) return undefined;
  return compact({ status: reg.status as DealRegistration['status'], contractSignedAt: orUndefined(reg.contractSignedDateTime), message: orUndefined(reg.message) }) as DealRegistration;
}

export function referralFromApi(input: unknown): Referral {
  return referralFromValidApi(parseApiReferral(input));
}

/**
 * A referral already checked against `apiReferralSchema`, e.g. an item of a list page that
 * `apiReferralPageSchema` parsed (its `value` is an array of that schema, which only validates and
 * transforms nothing, so a second parse would give the same referral at the cost of walking it again).
 */
export function referralFromValidApi(json: ApiReferral): Referral {
  const at = converterFor(referralLabel(json));
  const required = <T>(field: string, value: T | null | undefined): T => {
    if (value === null || value === undefined) throw new ReferralMappingError(referralLabel(json), field, 'is missing');
    return value;
  };
  const dir = direction(json, at);
  const help = json.inviteContext?.assistanceRequestCode;
  const customerContact = json.customerProfile?.team?.[0];
  const invitedBy = json.inviteContext?.invitedBy;
  const ms = json.microsoftEngagement;
  const consent = json.consent;

  // Member by member in the model's key order, each optional one only when it has a value (what `compact`
  // of one literal gave), the values converted in that order too (the first failure is the one named).
  // Not `compact`: its copy adds the members by key, and past 16 of them V8 keeps such an object in
  // dictionary mode, so every referral read was a slow object for the rest of the run, and the copy was
  // the costliest step of the read.
  const referral = {} as Referral;
  if (given(json.id)) referral.referralId = json.id;
  if (given(json.engagementId)) referral.engagementId = json.engagementId;
  if (given(json.eTag)) referral.eTag = json.eTag;
  if (given(json.externalReferenceId)) referral.crmId = json.externalReferenceId;
  referral.dealName = json.name ?? '';
  if (given(json.locationId)) referral.location = json.locationId;
  const value = at('value', () => toNumber(json.details?.dealValue));
  if (value !== undefined) referral.value = value;
  if (given(json.details?.currency)) referral.currency = json.details.currency;
  const closeDate = at('closeDate', () => dateFromApi(json.details?.closingDateTime));
  if (closeDate !== undefined) referral.closeDate = closeDate;
  if (given(json.campaignId)) referral.marketingCampaignId = json.campaignId;
  if (given(json.details?.notes)) referral.notes = json.details.notes;
  referral.customer = customer(json);
  if (customerContact) referral.customerContact = memberToContact(customerContact);
  referral.team = (json.team ?? []).map(memberToContact);
  referral.solutions = (json.details?.requirements?.solutions ?? []).map((s, i) => solutionFromApi(s, `solutions[${i}]`, at));
  referral.dealType = 'private'; // replaced below, once the inputs of the derivation are known
  referral.direction = dir;
  referral.status = at('status', () => ReferralStatus.fromApi(required('status', json.status)));
  referral.substatus = at('substatus', () => ReferralSubstatus.fromApi(required('substatus', json.substatus)));
  const stage = salesStage(json, dir, at);
  if (stage !== undefined) referral.salesStage = stage;
  // `Unknown` is the API's "no help required at this point of time".
  if (help && help.toLowerCase() !== 'unknown') referral.helpType = at('helpType', () => HelpType.fromApi(help));
  referral.shareWithMicrosoftSellers = consent?.consentToShareReferralWithMicrosoftSellers ?? false;
  if (given(json.inviteContext?.notes)) referral.notesToMicrosoft = json.inviteContext.notes;
  if (ms) {
    referral.microsoft = compact({
      status: at('microsoft.status', () => MicrosoftStatus.fromApi(ms.status)),
      requestedAt: orUndefined(ms.requestedDateTime),
      crmId: orUndefined(ms.crmId),
    });
  }
  const closeReason = closeReasonOf(json, at);
  if (closeReason !== undefined) referral.closeReason = closeReason;
  if (given(json.statusReason)) referral.closeNotes = json.statusReason;
  referral.invitations = (json.partnerInvitations ?? []).map((inv, i) => invitationFromApi(inv, `invitations[${i}]`, at));
  if (invitedBy) referral.initiator = compact({ id: invitedBy.organizationId, name: orUndefined(invitedBy.organizationName) });
  referral.consentToShareContacts = consent?.consentToShareInfoWithOthers ?? consent?.consentToToShareInfoWithOthers ?? false;
  referral.favorite = json.favorite ?? false;
  const qualification = qualificationOf(json.qualification);
  if (qualification !== undefined) referral.qualification = qualification;
  const registration = registrationOf(json.dealRegistration);
  if (registration !== undefined) referral.registration = registration;
  if (given(json.createdDateTime)) referral.createdAt = json.createdDateTime;
  if (given(json.updatedDateTime)) referral.updatedAt = json.updatedDateTime;
  if (given(json.acceptedDateTime)) referral.acceptedAt = json.acceptedDateTime;
  if (given(json.expirationDateTime)) referral.expiresAt = json.expirationDateTime;
  // The deal type is an extension the sandbox fills in; without it, derive it as the UI does (§1.10).
  referral.dealType = json.dealType ? at('dealType', () => DealType.fromApi(json.dealType)) : deriveDealType(referral);
  return referral;
}
