/**
 * The Partner Center referral as the REST API spells it (camelCase JSON), as zod schemas and the
 * TypeScript types inferred from them. Shared by the Partner Center client, the mapping and the sandbox.
 *
 * Sources: partner-center-api.md §1.7 (Referral resource, V3 swagger additions, 2024 top-level list),
 * §1.8 (enums), §1.4/§1.5 (collection envelope), §1.12 (error body).
 *
 * Enumerated fields are typed as strings here on purpose: the documented values are listed below, and
 * the conversions in `core/model/enums.ts` refuse anything else with an error naming the referral and
 * field (see `mapping/from-api.ts`). A schema-level enum would only say "invalid input" without that.
 *
 * Objects are `looseObject`s: a field the live API adds tomorrow survives a read-modify-write untouched.
 *
 * ## Sandbox extensions (UNVERIFIED against the live API)
 * The public documents give some canonical fields no API home. cosell-connector carries them under the
 * names below, consistently in the client, the mapping and the sandbox; each is marked
 * "sandbox extension, UNVERIFIED" where it is declared and listed in `sandbox/partner-center/README.md`:
 * - `locationId` (top level): our MPN/PartnerID location scope (seed "Location": mandatory, not editable);
 * - `dealType` (top level, read-only): Private | PartnerLed | CoSell | PartnerToPartner | SolutionAssessment;
 * - `statusReasonCode` (top level): the Declined/Lost reason as a `CloseReason` API spelling; the
 *   documented `statusReason` stays free text (§5 item 4);
 * - `microsoftEngagement` (top level, read-only for partners): Microsoft's status on the deal, when the
 *   co-sell request reached Microsoft, and Microsoft's CRM id (CSV "Microsoft Referral Status");
 * - `partnerInvitations` (top level): the P2P invitation details (seed "Partner to Partner (P2P) deal");
 * - `dealRegistration` (top level, read-only): deal registration after Won, as the lifecycle view shows it
 *   (status Registered | ActionRequired | Validated, `contractSignedDateTime`, `message`); no API is documented;
 * - on a solution: `currency`, `price`, `quantity` (CSV "Solution N"), `incentiveEligible`,
 *   `assessmentLocation` (seed "Solution Assessments … choose the location").
 */
import { z } from 'zod';

/** Documented enum values (partner-center-api.md §1.8), for builders, filters and the sandbox. */
export const API_REFERRAL_STATUSES = ['None', 'New', 'Active', 'Closed'] as const;
export const API_REFERRAL_SUBSTATUSES = ['None', 'Pending', 'Received', 'Accepted', 'Won', 'Lost', 'Declined', 'Expired'] as const;
export const API_REFERRAL_TYPES = ['Independent', 'Shared'] as const;
export const API_QUALIFICATIONS = ['None', 'Direct', 'MarketingQualified', 'SalesQualified'] as const;
export const API_DIRECTIONS = ['Incoming', 'Outgoing'] as const;
export const API_TARGET_TYPES = ['None', 'BusinessProfileLocation', 'SolutionProfile'] as const;
export const API_SOLUTION_TYPES = ['None', 'Category', 'Name'] as const;
export const API_PROFILE_TYPES = ['Duns', 'External'] as const;

/** `dealValue` is a decimal, but the PATCH samples send it as a string ("10000"), so both are read. */
const decimal = z.union([z.number(), z.string()]);
const text = z.string().nullish();

export const apiMemberSchema = z.looseObject({
  firstName: text,
  lastName: text,
  phoneNumber: text,
  email: text,
  contactPreference: z.looseObject({ locale: text, disableNotifications: z.boolean().nullish() }).nullish(),
});
export type ApiMember = z.infer<typeof apiMemberSchema>;

export const apiAddressSchema = z.looseObject({
  addressLine1: text,
  addressLine2: text,
  city: text,
  state: text,
  postalCode: text,
  /** ISO 3166 alpha-2 (doc corrected from "three-letter" in 2022, §1.7). */
  country: text,
  region: text,
});
export type ApiAddress = z.infer<typeof apiAddressSchema>;

export const apiCustomerProfileIdSchema = z.looseObject({ id: z.string(), profileType: z.string() });
export type ApiCustomerProfileId = z.infer<typeof apiCustomerProfileIdSchema>;

export const apiCustomerProfileSchema = z.looseObject({
  name: text,
  address: apiAddressSchema.nullish(),
  size: text,
  /** Customer contacts. */
  team: z.array(apiMemberSchema).nullish(),
  ids: z.array(apiCustomerProfileIdSchema).nullish(),
});
export type ApiCustomerProfile = z.infer<typeof apiCustomerProfileSchema>;

export const apiConsentSchema = z.looseObject({
  consentToShareInfoWithOthers: z.boolean().nullish(),
  /** The 2019 doc's spelling, with the doubled "To"; read as a synonym, never written. */
  consentToToShareInfoWithOthers: z.boolean().nullish(),
  consentToContact: z.boolean().nullish(),
  /** `false` makes the deal private (§1.10). */
  consentToShareReferralWithMicrosoftSellers: z.boolean().nullish(),
});
export type ApiConsent = z.infer<typeof apiConsentSchema>;

export const apiTagSchema = z.looseObject({ id: z.string() });
export type ApiTag = z.infer<typeof apiTagSchema>;

export const apiSolutionSchema = z.looseObject({
  id: z.string(),
  name: text,
  /** SolutionType: None | Category | Name. */
  type: text,
  publisherName: text,
  /** "3P" in the current sample (§1.7); our reading of the others is in `SolutionKind` (core/model/enums.ts). */
  solutionType: text,
  /** Sandbox extension, UNVERIFIED against the live API: CSV "Solution N" currency (ISO 4217). */
  currency: text,
  /** Sandbox extension, UNVERIFIED against the live API: CSV "Solution N" price. */
  price: decimal.nullish(),
  /** Sandbox extension, UNVERIFIED against the live API: CSV "Solution N" quantity. */
  quantity: decimal.nullish(),
  /** Sandbox extension, UNVERIFIED against the live API: the solution carries an IP incentive. */
  incentiveEligible: z.boolean().nullish(),
  /** Sandbox extension, UNVERIFIED against the live API: the location a solution assessment is for. */
  assessmentLocation: text,
});
export type ApiSolution = z.infer<typeof apiSolutionSchema>;

export const apiRequirementsSchema = z.looseObject({
  industries: z.array(apiTagSchema).nullish(),
  products: z.array(apiTagSchema).nullish(),
  services: z.array(apiTagSchema).nullish(),
  solutions: z.array(apiSolutionSchema).nullish(),
});
export type ApiRequirements = z.infer<typeof apiRequirementsSchema>;

export const apiDetailsSchema = z.looseObject({
  notes: text,
  dealValue: decimal.nullish(),
  /** ISO 4217. */
  currency: text,
  /** UTC instant; the UI shows a date (bulk CSV seed: "The date should be in UTC timezone"). */
  closingDateTime: text,
  requirements: apiRequirementsSchema.nullish(),
});
export type ApiDetails = z.infer<typeof apiDetailsSchema>;

export const apiOrganizationRefSchema = z.looseObject({ organizationId: z.string(), organizationName: text });
export type ApiOrganizationRef = z.infer<typeof apiOrganizationRefSchema>;

export const apiInviteContextSchema = z.looseObject({
  /** Message to the invited organisation (for a co-sell request, the notes to Microsoft). */
  notes: text,
  /** `organizationId: "msft"` = Microsoft. */
  invitedBy: apiOrganizationRefSchema.nullish(),
  /** Help type (swagger only): Unknown | GeneralOrOther | CustomerTechnicalArchitecture | … */
  assistanceRequestCode: text,
});
export type ApiInviteContext = z.infer<typeof apiInviteContextSchema>;

export const apiTargetSchema = z.looseObject({ id: z.string(), type: z.string() });
export type ApiTarget = z.infer<typeof apiTargetSchema>;

export const apiLinkSchema = z.looseObject({ uri: z.string(), method: text });
export const apiLinksSchema = z.looseObject({ self: apiLinkSchema.nullish(), relatedReferrals: apiLinkSchema.nullish() });
export type ApiLinks = z.infer<typeof apiLinksSchema>;

/** Sandbox extension, UNVERIFIED against the live API: Microsoft's side of a co-sell deal (read-only for partners). */
export const apiMicrosoftEngagementSchema = z.looseObject({
  /** The substatus of Microsoft's referral in the engagement: Pending | Received | Accepted | Declined | Won | Lost | Expired. */
  status: z.string(),
  requestedDateTime: text,
  crmId: text,
});
export type ApiMicrosoftEngagement = z.infer<typeof apiMicrosoftEngagementSchema>;

/** Sandbox extension, UNVERIFIED (no registration API is documented), read-only: deal registration after Won. */
export const apiDealRegistrationSchema = z.looseObject({
  status: z.string(),
  contractSignedDateTime: text,
  message: text,
});

/** Sandbox extension, UNVERIFIED against the live API: one partner invited to a P2P deal. */
export const apiPartnerInvitationSchema = z.looseObject({
  organizationId: z.string(),
  organizationName: text,
  dealValue: decimal,
  currency: z.string(),
  closingDateTime: z.string(),
  notes: text,
  team: z.array(apiMemberSchema).nullish(),
  solutions: z.array(apiSolutionSchema).nullish(),
  /** Free text: the seed gives no list of the help wanted from a partner. */
  helpWanted: text,
  /** The invited partner's answer: the substatus of their referral in the engagement. */
  substatus: text,
});
export type ApiPartnerInvitation = z.infer<typeof apiPartnerInvitationSchema>;

export const apiReferralSchema = z.looseObject({
  id: text,
  engagementId: text,
  /** Owner organisation: the partner's tenant GUID, `msft` for Microsoft. Set by the service. */
  organizationId: text,
  organizationName: text,
  name: text,
  /** "Store your own Dynamics 365 lead/opportunity ID": the CRM-ID slot. */
  externalReferenceId: text,
  createdDateTime: text,
  updatedDateTime: text,
  expirationDateTime: text,
  /** "For outgoing referrals equals creation date" (§1.7, 2024 list). */
  acceptedDateTime: text,
  status: text,
  substatus: text,
  /** Free text, e.g. why lost. */
  statusReason: text,
  /** ReferralType: Independent | Shared. */
  type: text,
  qualification: text,
  /** V3 swagger: Qualify | Develop | Propose | Close. */
  salesStage: text,
  campaignId: text,
  favorite: z.boolean().nullish(),
  customerProfile: apiCustomerProfileSchema.nullish(),
  consent: apiConsentSchema.nullish(),
  details: apiDetailsSchema.nullish(),
  team: z.array(apiMemberSchema).nullish(),
  inviteContext: apiInviteContextSchema.nullish(),
  target: z.array(apiTargetSchema).nullish(),
  eTag: text,
  /** Response only; PUT requires it removed (§1.4). The doc's URIs carry the typo "engagments" (§1.1). */
  links: apiLinksSchema.nullish(),
  /** Incoming | Outgoing (2020 docs, examples only). */
  direction: text,
  lastModifiedVia: text,
  /** Sandbox extension, UNVERIFIED against the live API: our MPN location scope, set at creation. */
  locationId: text,
  /** Sandbox extension, UNVERIFIED against the live API, read-only: the deal type (`DealType` API spelling). */
  dealType: text,
  /** Sandbox extension, UNVERIFIED against the live API: Declined/Lost reason code (`CloseReason` API spelling). */
  statusReasonCode: text,
  microsoftEngagement: apiMicrosoftEngagementSchema.nullish(),
  partnerInvitations: z.array(apiPartnerInvitationSchema).nullish(),
  dealRegistration: apiDealRegistrationSchema.nullish(),
});
export type ApiReferral = z.infer<typeof apiReferralSchema>;

/** A list response: `{@odata.context, @odata.count, value[], @odata.nextLink}` (§1.5). */
export const apiReferralPageSchema = z.looseObject({
  '@odata.context': z.string().optional(),
  '@odata.count': z.number().optional(),
  '@odata.nextLink': z.string().nullish(),
  value: z.array(apiReferralSchema),
});
export type ApiReferralPage = z.infer<typeof apiReferralPageSchema>;

/** The documented top-level error codes (§1.12). */
export const API_ERROR_CODES = [
  'accessDenied',
  'generalException',
  'invalidRequest',
  'itemNotFound',
  'preconditionFailed',
  'resourceModified',
  'serviceNotAvailable',
  'unauthenticated',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** `innerError` nests: "walk nested innerError codes; don't parse message" (§1.12). */
export interface ApiInnerError {
  code?: string;
  message?: string;
  target?: string;
  innerError?: ApiInnerError;
  [key: string]: unknown;
}
export const apiInnerErrorSchema: z.ZodType<ApiInnerError> = z.lazy(() =>
  z.looseObject({ code: z.string().optional(), message: z.string().optional(), target: z.string().optional(), innerError: apiInnerErrorSchema.optional() }),
);

/** Error body `{"error":{code, message, target, innerError}}` (§1.12). */
export const apiErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    target: z.string().optional(),
    innerError: apiInnerErrorSchema.optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** One RFC 6902 operation. Partner Center supports only `replace` and `add` (§1.6). */
export interface JsonPatchOp {
  op: 'replace' | 'add';
  /** JSON Pointer (RFC 6901), e.g. `/details/dealValue`, `/team/-`. */
  path: string;
  value: unknown;
}
export const jsonPatchSchema = z.array(z.looseObject({ op: z.string(), path: z.string(), value: z.unknown().optional() }));

/** A webhook event (§1.14): thin; fetch the referral after receiving it. */
export interface ApiWebhookEvent {
  EventName: 'referral-created' | 'referral-updated' | 'related-referral-created' | 'related-referral-updated' | 'test-created';
  ResourceUri: string;
  ResourceName: string;
  /** Optional in the docs; the sandbox sends `null`. */
  AuditUri?: string | null;
  ResourceChangeUtcDate: string;
}
