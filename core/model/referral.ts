/**
 * The canonical co-sell referral: one shape that the Partner Center client, both CRM adapters, the sync
 * engine and the CSV code all speak. It holds every field of the seed pages ("Manage co-sell
 * opportunities") and of the bulk CSV column table, seen from our company's side of the deal.
 *
 * Conventions:
 * - Dates without a time (the estimated close date) are `YYYY-MM-DD` strings, a UTC date ("The date
 *   should be in UTC timezone", bulk CSV seed). Instants are ISO 8601 UTC strings.
 * - Money is a number with an ISO 4217 currency beside it.
 * - An absent optional field means "not given"; `undefined` and a missing key are the same thing.
 * - Field paths used in rule violations and merge results are dotted: `customer.country`,
 *   `team[2].email`, `solutions[0].id`.
 */
import type {
  CloseReason,
  DealType,
  Direction,
  HelpType,
  MicrosoftStatus,
  ReferralStatus,
  ReferralSubstatus,
  SolutionKind,
} from './enums.js';
import type { SalesStage } from './sales-stage.js';

/** A person: a customer contact or a team member (API `Member`: firstName, lastName, phoneNumber, email). */
export interface Contact {
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
}

/** The customer company (API `customerProfile`, CSV "Customer …" columns). */
export interface Customer {
  name: string;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2 ("Use the two letter country codes", bulk CSV seed). */
  country?: string;
  /** D-U-N-S number, helps Microsoft match the customer (bulk CSV seed). */
  duns?: string;
}

/** A solution on the deal (seed "Add solution(s)"; CSV "Solution N": ID, currency, price, quantity). */
export interface Solution {
  /** Partner Center solution ID, e.g. `SOL-1234-PQRS` or `SOL-Microsoft365`. */
  id: string;
  kind: SolutionKind;
  name?: string;
  currency?: string;
  price?: number;
  quantity?: number;
  /** Whether the solution carries an IP incentive (deal registration, seed FAQ). */
  incentiveEligible?: boolean;
  /** For a solution assessment: the location the assessment is for ("needed for correct incentive payouts"). */
  assessmentLocation?: string;
}

/** A company in Partner Center: our partner organisation, another partner, or Microsoft (`msft`). */
export interface Organization {
  id: string;
  name?: string;
}

/**
 * Another partner invited to a P2P deal (seed "Partner to Partner (P2P) deal"). The inviter sets these
 * at creation and cannot change the close date or value afterwards; the invited partner can.
 */
export interface PartnerInvitation {
  partner: Organization;
  value: number;
  currency: string;
  closeDate: string;
  notes?: string;
  team: Contact[];
  solutions: Solution[];
  /** The help wanted from the invited partner (free text: the seed gives no list). */
  helpWanted?: string;
  /** The invited partner's answer, as the substatus of their referral in the engagement. */
  status?: ReferralSubstatus;
}

/**
 * How Partner Center classifies a referral (API `ReferralQualification`, partner-center-api.md §1.8):
 * `SalesQualified` by a Microsoft seller; `MarketingQualified` by Microsoft's marketing automation;
 * `Direct` created by a customer; `None` unqualified. Anything other than sales-qualified is a lead.
 */
export type Qualification = 'None' | 'Direct' | 'MarketingQualified' | 'SalesQualified';

/**
 * Deal registration after Won, as Partner Center's lifecycle view shows it (seed: "Once the deal is
 * registered, you can view the progress of the deal validation … If there is any action required from your
 * company, appropriate errors are shown … The deal goes into the closed state when the deal validation is
 * complete"). No API for registration is documented: this is the sandbox extension `dealRegistration`
 * (UNVERIFIED), read-only, mirrored onto the CRM record when the referral carries it.
 */
export interface DealRegistration {
  status: 'Registered' | 'ActionRequired' | 'Validated';
  /** When the customer signed the contract, if the registration says (the 60-day window counts from it). */
  contractSignedAt?: string;
  /** What Partner Center asks of us (ActionRequired), in its words. */
  message?: string;
}

/** Microsoft's side of a co-sell deal: read-only for partners. */
export interface MicrosoftEngagement {
  status: MicrosoftStatus;
  /** When the co-sell request reached Microsoft; its sellers have 14 days to decide. */
  requestedAt?: string;
  /** Microsoft's own CRM identifier once it accepts (connector field "Microsoft CRM Identifier"). */
  crmId?: string;
}

export interface Referral {
  // Identity
  /** Partner Center referral ID (GUID). Absent before creation. */
  referralId?: string;
  /** Engagement ID shared by every party's referral on the same deal. */
  engagementId?: string;
  eTag?: string;
  /** Our CRM's record ID (API `externalReferenceId`, CSV "CRM ID"). */
  crmId?: string;

  // Deal details (seed "Deal details" table)
  dealName: string;
  /** Our MPN/PartnerID location scope. Cannot change after creation. */
  location?: string;
  value?: number;
  /** ISO 4217. */
  currency?: string;
  /** Estimated close date, `YYYY-MM-DD` UTC. */
  closeDate?: string;
  marketingCampaignId?: string;
  notes?: string;

  customer: Customer;
  customerContact?: Contact;
  /** Up to 50. */
  team: Contact[];
  /** Up to 50. */
  solutions: Solution[];

  dealType: DealType;
  direction: Direction;
  status: ReferralStatus;
  substatus: ReferralSubstatus;
  salesStage?: SalesStage;

  /** The help asked of Microsoft; absent = "No help required at this point of time". */
  helpType?: HelpType;
  /** "Would you like Microsoft sellers to view this deal?" */
  shareWithMicrosoftSellers: boolean;
  /** CSV "Notes to Microsoft". */
  notesToMicrosoft?: string;
  microsoft?: MicrosoftEngagement;
  /** Why the deal was declined or lost (CSV codes 1–8). */
  closeReason?: CloseReason;
  /** Free-text notes that came with the decline or loss (API `statusReason` text). */
  closeNotes?: string;

  /** Partners invited to a P2P deal. */
  invitations: PartnerInvitation[];
  /**
   * CRM only, never sent: the partner IDs the record's own invitation rows and invite-partner field ask for.
   * The link's base keeps them, so that a request the seller deletes is seen (Partner Center cannot withdraw
   * an invitation: core/engine/invitation-note.ts); absent where the CRM side was not read.
   */
  crmInvitationRequests?: string[];
  /** Who created the deal: us for outbound, Microsoft or another partner for inbound. */
  initiator?: Organization;

  /**
   * The customer's consent to share their contact: the CRM's consent field, never inferred. While false
   * the customer contact does not leave the CRM (core/model/consent.ts); the bulk CSV upload refuses a row
   * with "Consent to share Customer/Partner contact" = No (rule consent.required).
   */
  consentToShareContacts: boolean;
  favorite: boolean;

  /** Partner Center's classification; absent on our own outbound drafts. Read-only, never merged. */
  qualification?: Qualification;
  /** Deal registration state, when Partner Center carries it (sandbox extension). Read-only, never merged. */
  registration?: DealRegistration;

  createdAt?: string;
  updatedAt?: string;
  acceptedAt?: string;
  expiresAt?: string;
}

/** A blank outbound draft with every collection present: the starting point for mappers and tests. */
export function emptyReferral(overrides: Partial<Referral> = {}): Referral {
  return {
    dealName: '',
    customer: { name: '' },
    team: [],
    solutions: [],
    dealType: 'private',
    direction: 'outbound',
    status: 'Active',
    substatus: 'Accepted',
    shareWithMicrosoftSellers: false,
    invitations: [],
    consentToShareContacts: false,
    favorite: false,
    ...overrides,
  };
}
