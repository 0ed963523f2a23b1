/**
 * Every enumeration of a co-sell referral, with its Partner Center API spelling and its UI/CSV code.
 * Sources are cited per enumeration; "our reading" marks a spelling the public documents do not give,
 * chosen by us and used consistently by the client, the sandbox and the CSV code.
 */
import { defineCodedEnum } from './coded-enum.js';

/** ReferralStatus (partner-center-api.md §1.8). The API's `None` is an unset value and is refused. */
export const ReferralStatus = defineCodedEnum('ReferralStatus', [
  { name: 'New', api: 'New', code: 'New', label: 'New' },
  { name: 'Active', api: 'Active', code: 'Active', label: 'Active' },
  { name: 'Closed', api: 'Closed', code: 'Closed', label: 'Closed' },
] as const);
export type ReferralStatus = (typeof ReferralStatus.names)[number];

/**
 * ReferralSubstatus (partner-center-api.md §1.8). The UI-only "Error" substatus has no documented API
 * spelling (§5 item 1) and is not modelled.
 */
export const ReferralSubstatus = defineCodedEnum('ReferralSubstatus', [
  { name: 'Pending', api: 'Pending', code: 'Pending', label: 'Pending' },
  { name: 'Received', api: 'Received', code: 'Received', label: 'Received' },
  { name: 'Accepted', api: 'Accepted', code: 'Accepted', label: 'Accepted' },
  { name: 'Won', api: 'Won', code: 'Won', label: 'Won' },
  { name: 'Lost', api: 'Lost', code: 'Lost', label: 'Lost' },
  { name: 'Declined', api: 'Declined', code: 'Declined', label: 'Declined' },
  { name: 'Expired', api: 'Expired', code: 'Expired', label: 'Expired' },
] as const);
export type ReferralSubstatus = (typeof ReferralSubstatus.names)[number];

/** Terminal substatuses: "Expired, decline, won, and lost are terminal states" (seed, FAQ). */
export const TERMINAL_SUBSTATUSES: readonly ReferralSubstatus[] = ['Won', 'Lost', 'Declined', 'Expired'];

/**
 * A status pair the connector wrote onto a CRM record ("Closed" and a final substatus), when it says the
 * referral was closed; undefined otherwise. Both adapters ask it of records older versions left open at a
 * closed referral (connectors/<crm>/unfinished-close.ts). Pure.
 */
export function statedTerminalClose(status: unknown, substatus: unknown): { status: 'Closed'; substatus: ReferralSubstatus } | undefined {
  if (status !== 'Closed' || !ReferralSubstatus.isName(substatus) || !TERMINAL_SUBSTATUSES.includes(substatus)) return undefined;
  return { status, substatus };
}

/** `direction` (partner-center-api.md §1.7, examples); the UI calls the tabs Inbound and Outbound. */
export const Direction = defineCodedEnum('Direction', [
  { name: 'inbound', api: 'Incoming', code: 'Inbound', label: 'Inbound' },
  { name: 'outbound', api: 'Outgoing', code: 'Outbound', label: 'Outbound' },
] as const);
export type Direction = (typeof Direction.names)[number];

/**
 * Deal types (seed "Types of Co-sell opportunities"). The API has no single deal-type field: the type
 * follows from consent, help and invitations (partner-center-api.md §1.10). The API spelling below is
 * our reading, used by the sandbox's read-only `dealType` extension and by cosell-connector's logs.
 */
export const DealType = defineCodedEnum('DealType', [
  { name: 'private', api: 'Private', code: 'Private', label: 'Private deal' },
  { name: 'partner-led', api: 'PartnerLed', code: 'Partner-led', label: 'Partner-led deal' },
  { name: 'co-sell', api: 'CoSell', code: 'Co-sell', label: 'Co-sell deal' },
  { name: 'partner-to-partner', api: 'PartnerToPartner', code: 'P2P', label: 'Partner to partner deal' },
  { name: 'solution-assessment', api: 'SolutionAssessment', code: 'SA', label: 'Solution assessment deal' },
] as const);
export type DealType = (typeof DealType.names)[number];

/**
 * The help asked of Microsoft: API `inviteContext.assistanceRequestCode` (swagger, §1.8) and the CSV
 * "What specific help from Microsoft?" codes 1–6 (bulk CSV seed). The API's `Unknown` means no help
 * and is represented by an absent help type.
 */
export const HelpType = defineCodedEnum('HelpType', [
  { name: 'workload-value-proposition', api: 'WorkloadSpecificValueProposition', code: '1', label: 'Workload-specific value proposition' },
  { name: 'technical-architecture', api: 'CustomerTechnicalArchitecture', code: '2', label: 'Customer technical architecture' },
  { name: 'proof-of-concept', api: 'ProofOfConceptOrDemo', code: '3', label: 'Proof of concept / Demo' },
  { name: 'quotes-licensing', api: 'QuotesOrLicensing', code: '4', label: 'Quotes and licensing' },
  { name: 'post-sales-success', api: 'PostSalesCustomerSuccess', code: '5', label: 'Post-sales customer success' },
  { name: 'general', api: 'GeneralOrOther', code: '6', label: 'General or other' },
] as const);
export type HelpType = (typeof HelpType.names)[number];

/**
 * Why a deal was declined or lost: CSV "Declined/Lost reason" codes 1–8 (bulk CSV seed). The API carries
 * `statusReason`, whose format is undocumented (§5 item 4); the API spelling is our reading.
 */
export const CloseReason = defineCodedEnum('CloseReason', [
  { name: 'budget-not-adequate', api: 'ProjectBudgetNotAdequate', code: '1', label: 'Project budget is not adequate' },
  { name: 'customer-no-response', api: 'CustomerDidNotRespond', code: '2', label: 'Customer did not respond' },
  { name: 'chose-another-vendor', api: 'CustomerChoseAnotherVendor', code: '3', label: 'Customer chose another vendor' },
  { name: 'requirement-not-met', api: 'CustomerRequirementNotMet', code: '4', label: 'Customer requirement not met' },
  { name: 'not-a-customer', api: 'NotACustomer', code: '5', label: 'Not a customer' },
  { name: 'timeline-too-short', api: 'ProposedTimelineTooShort', code: '6', label: 'Proposed time line was too short' },
  { name: 'abuse-spam-phishing', api: 'ReportAsAbuseSpamOrPhishing', code: '7', label: 'Report as abuse, spam or phishing' },
  { name: 'other', api: 'Others', code: '8', label: 'Others' },
] as const);
export type CloseReason = (typeof CloseReason.names)[number];

/**
 * The kinds of solution on a deal (seed "Add solution(s)"). The API's `solutionType` is documented only
 * as "3P" in a current sample (§1.7); the other spellings are our reading.
 */
export const SolutionKind = defineCodedEnum('SolutionKind', [
  { name: 'own', api: 'Own', code: 'My company', label: "My company's solution" },
  { name: 'microsoft', api: '1P', code: 'Microsoft', label: 'Microsoft solution' },
  { name: 'other-partner', api: '3P', code: 'Third party', label: 'Other third-party solution' },
  { name: 'assessment', api: 'Assessment', code: 'Solution assessment', label: 'Solution assessment' },
] as const);
export type SolutionKind = (typeof SolutionKind.names)[number];

/**
 * Microsoft's status on a deal: the substatus of Microsoft's own referral in the same engagement, read-only
 * for partners (CSV "Microsoft Referral Status": "This is a read-only field", sample "Pending").
 */
export const MicrosoftStatus = defineCodedEnum('MicrosoftStatus', [
  { name: 'Pending', api: 'Pending', code: 'Pending', label: 'Waiting for Microsoft' },
  { name: 'Received', api: 'Received', code: 'Received', label: 'Received by Microsoft' },
  { name: 'Accepted', api: 'Accepted', code: 'Accepted', label: 'Microsoft accepted' },
  { name: 'Declined', api: 'Declined', code: 'Declined', label: 'Microsoft declined' },
  { name: 'Won', api: 'Won', code: 'Won', label: 'Microsoft marked won' },
  { name: 'Lost', api: 'Lost', code: 'Lost', label: 'Microsoft marked lost' },
  { name: 'Expired', api: 'Expired', code: 'Expired', label: 'Microsoft did not answer in time' },
] as const);
export type MicrosoftStatus = (typeof MicrosoftStatus.names)[number];

/** Who makes a change: our company, Microsoft (its sellers or Partner Center itself), or another partner. */
export type Actor = 'us' | 'microsoft' | 'partner';
