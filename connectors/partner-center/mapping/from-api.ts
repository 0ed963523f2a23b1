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
import { compact, dateFromApi, orUndefined, toNumber } from './values.js';

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

  const referral = compact({
    referralId: orUndefined(json.id),
    engagementId: orUndefined(json.engagementId),
    eTag: orUndefined(json.eTag),
    crmId: orUndefined(json.externalReferenceId),
    dealName: json.name ?? '',
    location: orUndefined(json.locationId),
    value: at('value', () => toNumber(json.details?.dealValue)),
    currency: orUndefined(json.details?.currency),
    closeDate: at('closeDate', () => dateFromApi(json.details?.closingDateTime)),
    marketingCampaignId: orUndefined(json.campaignId),
    notes: orUndefined(json.details?.notes),
    customer: customer(json),
    customerContact: customerContact ? memberToContact(customerContact) : undefined,
    team: (json.team ?? []).map(memberToContact),
    solutions: (json.details?.requirements?.solutions ?? []).map((s, i) => solutionFromApi(s, `solutions[${i}]`, at)),
    dealType: 'private', // replaced below, once the inputs of the derivation are known
    direction: dir,
    status: at('status', () => ReferralStatus.fromApi(required('status', json.status))),
    substatus: at('substatus', () => ReferralSubstatus.fromApi(required('substatus', json.substatus))),
    salesStage: salesStage(json, dir, at),
    // `Unknown` is the API's "no help required at this point of time".
    helpType: help && help.toLowerCase() !== 'unknown' ? at('helpType', () => HelpType.fromApi(help)) : undefined,
    shareWithMicrosoftSellers: consent?.consentToShareReferralWithMicrosoftSellers ?? false,
    notesToMicrosoft: orUndefined(json.inviteContext?.notes),
    microsoft: ms
      ? compact({
          status: at('microsoft.status', () => MicrosoftStatus.fromApi(ms.status)),
          requestedAt: orUndefined(ms.requestedDateTime),
          crmId: orUndefined(ms.crmId),
        })
      : undefined,
    closeReason: closeReasonOf(json, at),
    closeNotes: orUndefined(json.statusReason),
    invitations: (json.partnerInvitations ?? []).map((inv, i) => invitationFromApi(inv, `invitations[${i}]`, at)),
    initiator: invitedBy ? compact({ id: invitedBy.organizationId, name: orUndefined(invitedBy.organizationName) }) : undefined,
    consentToShareContacts: consent?.consentToShareInfoWithOthers ?? consent?.consentToToShareInfoWithOthers ?? false,
    favorite: json.favorite ?? false,
    qualification: qualificationOf(json.qualification),
    registration: registrationOf(json.dealRegistration),
    createdAt: orUndefined(json.createdDateTime),
    updatedAt: orUndefined(json.updatedDateTime),
    acceptedAt: orUndefined(json.acceptedDateTime),
    expiresAt: orUndefined(json.expirationDateTime),
  }) as Referral;
  // The deal type is an extension the sandbox fills in; without it, derive it as the UI does (§1.10).
  referral.dealType = json.dealType ? at('dealType', () => DealType.fromApi(json.dealType)) : deriveDealType(referral);
  return referral;
}
