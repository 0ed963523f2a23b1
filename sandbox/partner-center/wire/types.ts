/**
 * The referral as the sandbox keeps and serves it: Partner Center's JSON, typed from Microsoft's
 * "Referral resources" page and the samples of "Create a referral", "Get a referral by ID", "Get a list
 * of referrals" and "Update a referral" (summarised in /work/shared/reference/partner-center-api.md
 * §1.7, §1.8, §1.12). Written independently of the connector's own types on purpose: a mistake in the
 * connector's reading of the wire format must show up as a refusal here, not be mirrored.
 *
 * Every object is open (`[key: string]: unknown`): the service keeps properties it does not model.
 * Numbers are typed as the documentation types them (`dealValue` is a decimal); `coerce.ts` turns the
 * documented string form of a PATCH sample ("10000") into a number before anything is stored.
 *
 * Sandbox extensions (UNVERIFIED against the live API; see README.md): `locationId`, `dealType`,
 * `statusReasonCode`, `microsoftEngagement`, `partnerInvitations`, and a solution's `currency`,
 * `price`, `quantity`, `incentiveEligible`, `assessmentLocation`.
 */
type Open = { [key: string]: unknown };
type Text = string | null | undefined;

export interface WireMember extends Open {
  firstName?: Text;
  lastName?: Text;
  phoneNumber?: Text;
  email?: Text;
  contactPreference?: (Open & { locale?: Text; disableNotifications?: boolean | null }) | null;
}

export interface WireAddress extends Open {
  addressLine1?: Text;
  addressLine2?: Text;
  city?: Text;
  state?: Text;
  postalCode?: Text;
  /** ISO 3166 alpha-2. */
  country?: Text;
  region?: Text;
}

export interface WireCustomerProfile extends Open {
  name?: Text;
  address?: WireAddress | null;
  size?: Text;
  team?: WireMember[] | null;
  ids?: (Open & { id: string; profileType: string })[] | null;
}

export interface WireConsent extends Open {
  consentToShareInfoWithOthers?: boolean | null;
  /** The documented spelling, doubled "To" included. */
  consentToToShareInfoWithOthers?: boolean | null;
  consentToContact?: boolean | null;
  consentToShareReferralWithMicrosoftSellers?: boolean | null;
}

export interface WireSolution extends Open {
  id: string;
  name?: Text;
  /** SolutionType: None | Category | Name. */
  type?: Text;
  publisherName?: Text;
  solutionType?: Text;
  currency?: Text;
  price?: number | null;
  quantity?: number | null;
  incentiveEligible?: boolean | null;
  assessmentLocation?: Text;
}

export interface WireDetails extends Open {
  notes?: Text;
  /** Decimal. */
  dealValue?: number | null;
  currency?: Text;
  closingDateTime?: Text;
  requirements?: (Open & { industries?: Open[] | null; products?: Open[] | null; services?: Open[] | null; solutions?: WireSolution[] | null }) | null;
}

export interface WireOrganizationRef extends Open {
  organizationId: string;
  organizationName?: Text;
}

export interface WireInviteContext extends Open {
  notes?: Text;
  invitedBy?: WireOrganizationRef | null;
  assistanceRequestCode?: Text;
}

/** `type` ∈ None | BusinessProfileLocation | SolutionProfile. */
export interface WireTarget extends Open {
  id: string;
  type: string;
}

/** Sandbox extension (UNVERIFIED): Microsoft's side of a co-sell deal. */
export interface WireMicrosoftEngagement extends Open {
  status: string;
  requestedDateTime?: Text;
  crmId?: Text;
}

/** Sandbox extension (UNVERIFIED): one partner invited to a partner-to-partner deal. */
export interface WirePartnerInvitation extends Open {
  organizationId: string;
  organizationName?: Text;
  dealValue: number;
  currency: string;
  closingDateTime: string;
  notes?: Text;
  team?: WireMember[] | null;
  solutions?: WireSolution[] | null;
  helpWanted?: Text;
  substatus?: Text;
}

export interface WireReferral extends Open {
  id?: Text;
  engagementId?: Text;
  organizationId?: Text;
  organizationName?: Text;
  name?: Text;
  externalReferenceId?: Text;
  createdDateTime?: Text;
  updatedDateTime?: Text;
  expirationDateTime?: Text;
  acceptedDateTime?: Text;
  status?: Text;
  substatus?: Text;
  statusReason?: Text;
  type?: Text;
  qualification?: Text;
  salesStage?: Text;
  campaignId?: Text;
  favorite?: boolean | null;
  customerProfile?: WireCustomerProfile | null;
  consent?: WireConsent | null;
  details?: WireDetails | null;
  team?: WireMember[] | null;
  inviteContext?: WireInviteContext | null;
  target?: WireTarget[] | null;
  eTag?: Text;
  links?: Open | null;
  direction?: Text;
  lastModifiedVia?: Text;
  locationId?: Text;
  dealType?: Text;
  statusReasonCode?: Text;
  microsoftEngagement?: WireMicrosoftEngagement | null;
  partnerInvitations?: WirePartnerInvitation[] | null;
  /**
   * Sandbox extension (UNVERIFIED: no registration API is documented), read-only: deal registration after
   * Won as the lifecycle view shows it (seed: "view the progress of the deal validation … appropriate errors
   * are shown … closed state when the deal validation is complete").
   */
  dealRegistration?: { status: 'Registered' | 'ActionRequired' | 'Validated'; contractSignedDateTime?: string; message?: string } | null;
}

/** Top-level properties: the documented ones (resource table, V3 swagger, 2024 list) and the extensions. */
export const REFERRAL_PROPERTY_NAMES = [
  'id', 'engagementId', 'organizationId', 'organizationName', 'name', 'externalReferenceId',
  'createdDateTime', 'updatedDateTime', 'expirationDateTime', 'acceptedDateTime',
  'status', 'substatus', 'statusReason', 'type', 'qualification', 'salesStage', 'campaignId', 'favorite',
  'customerProfile', 'consent', 'details', 'team', 'inviteContext', 'target', 'eTag', 'links', 'direction',
  'lastModifiedVia', 'locationId', 'dealType', 'statusReasonCode', 'microsoftEngagement', 'partnerInvitations', 'dealRegistration',
] as const;

/** The documented top-level error codes ("Error codes" page). */
export type WireErrorCode =
  | 'accessDenied'
  | 'generalException'
  | 'invalidRequest'
  | 'itemNotFound'
  | 'preconditionFailed'
  | 'resourceModified'
  | 'serviceNotAvailable'
  | 'unauthenticated';

/** `innerError` nests; clients walk the codes rather than parse messages. */
export interface WireInnerError {
  code?: string;
  message?: string;
  target?: string;
  innerError?: WireInnerError;
  [key: string]: unknown;
}

/** A webhook event ("Partner Center webhook events"): thin, the receiver fetches the referral. */
export interface WireWebhookEvent {
  EventName: 'referral-created' | 'referral-updated' | 'related-referral-created' | 'related-referral-updated' | 'test-created';
  ResourceUri: string;
  ResourceName: string;
  AuditUri?: string | null;
  ResourceChangeUtcDate: string;
}

/** One JSON Patch operation as received (validated in json-patch.ts). */
export interface WirePatchOp {
  op: string;
  path: string;
  value?: unknown;
}
