/**
 * What a seller does in a CRM's own user interface, stated once for every CRM sandbox, so that the
 * end-to-end tests and the demo play the same co-sell life cycle in Salesforce and in Dynamics 365
 * without knowing either's field names. Each sandbox console edits its sandbox's data the way the CRM UI
 * would (validation rules apply, timestamps move).
 */
import type { CloseReason, HelpType, SolutionKind } from '../../core/model/enums.js';
import type { SalesStage } from '../../core/model/sales-stage.js';
import type { InvitationRequest } from '../../connectors/invitation-requests.js';

export interface PersonSpec {
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
}

export interface DealSpec {
  name: string;
  value: number;
  currency: string;
  /** `YYYY-MM-DD`. */
  closeDate: string;
  notes?: string;
  customer: { name: string; street: string; city: string; state?: string; postalCode: string; country: string; duns?: string };
  contact?: PersonSpec;
  team: PersonSpec[];
  solutions: { id: string; kind: SolutionKind; price?: number; quantity?: number; currency?: string; incentiveEligible?: boolean; assessmentLocation?: string }[];
  /** "Sync with Partner Center". */
  optIn: boolean;
  /** "Consent to share contacts": the customer agreed that their contact is shared (unticked when absent). */
  consent?: boolean;
  helpType?: HelpType;
  share?: boolean;
  /** The standard stage the seller picks (the console chooses the CRM's stage for it). */
  stage?: SalesStage;
  /** The record's "MPN location" field (empty: the owner's or the configured default). */
  location?: string;
}

/** A partner-to-partner invitation as the seller fills it in (one child record per invited partner). */
export type InvitationSpec = InvitationRequest;

/** What the seller sees on the record: the deal and the connector's status fields. */
export interface RecordView {
  exists: boolean;
  name?: string;
  value?: number;
  closeDate?: string;
  notes?: string;
  /** The CRM's own stage name. */
  stage?: string;
  isWon?: boolean;
  isClosed?: boolean;
  syncState?: string;
  syncMessage?: string;
  /** "Last synced": when the connector last wrote the record's status. */
  lastSynced?: string;
  referralId?: string;
  microsoftStatus?: string;
  /** The connector's "Partner Center status" field: `Status/Substatus` as Partner Center last reported it. */
  referralStatus?: string;
  heldUntil?: string;
  /** "Answer referral by": an inbound referral's 14 days to accept or decline. */
  answerBy?: string;
  /** "Microsoft answers by": Microsoft's 14 days to decide on a co-sell request. */
  microsoftAnswerBy?: string;
  /** The record's "MPN location" field. */
  location?: string;
  /** "Partner Center referral link": opens the deal in Partner Center. */
  referralLink?: string;
  /** Deal registration after Won: "Deal registration" (eligible or not, why), "Register deal by", and its status. */
  registrationEligible?: boolean;
  registrationNote?: string;
  registrationDeadline?: string;
  registrationStatus?: string;
  /** The record's "Consent to share contacts" box. */
  consent?: boolean;
  teamEmails: string[];
  solutionIds: string[];
  /** The deal's primary customer contact's email (Salesforce: the primary contact role; Dynamics 365: Contact). */
  contactEmail?: string;
  /** That contact's phone. */
  contactPhone?: string;
}

/** What the seller sees on a lead the connector created. */
export interface LeadView {
  exists: boolean;
  company?: string;
  referralId?: string;
  qualification?: string;
  converted: boolean;
  /** The opportunity it became once converted. */
  opportunityId?: string;
  /** The deal name the lead shows (Salesforce "Partner Center deal name", Dataverse subject). */
  dealName?: string;
  /** The lead's own state: open, or closed without being converted (Salesforce Status, Dataverse statecode). */
  open: boolean;
  syncState?: string;
  syncMessage?: string;
  /** Partner Center's status as the lead shows it, `Status/Substatus`. */
  referralStatus?: string;
  answerBy?: string;
}

export interface SellerConsole {
  readonly crmName: string;
  createDeal(spec: DealSpec): Promise<string>;
  edit(crmId: string, change: { name?: string; value?: number | null; closeDate?: string | null; notes?: string }): Promise<void>;
  /** Edits the deal's customer account only (the opportunity itself is not saved); `''` empties a field. */
  editAccount(crmId: string, change: { name?: string; country?: string; city?: string; state?: string }): Promise<void>;
  /** Edits the deal's primary customer contact only (the Contact record; the opportunity itself is not saved). */
  editContact(crmId: string, change: { firstName?: string; lastName?: string; phone?: string }): Promise<void>;
  setStage(crmId: string, stage: SalesStage): Promise<void>;
  /** Picks a stage by the CRM's own name (a stage of another sales process, such as an assessment's). */
  setCrmStage(crmId: string, crmStage: string): Promise<void>;
  optIn(crmId: string, options?: { helpType?: HelpType; share?: boolean }): Promise<void>;
  /** Unticks "Sync with Partner Center": the seller switches syncing off for this deal. */
  optOut(crmId: string): Promise<void>;
  /** Types a referral ID into the record's "Partner Center referral ID" field (a claim the connector must check). */
  typeReferralId(crmId: string, referralId: string): Promise<void>;
  /** Types a location ID into the record's "MPN location" field. */
  setLocation(crmId: string, location: string): Promise<void>;
  /** Ticks or unticks "Consent to share contacts". */
  setConsent(crmId: string, consent: boolean): Promise<void>;
  /** Invites another partner (by Partner Center organisation ID) to this outbound deal: a P2P deal. */
  invitePartner(crmId: string, partnerId: string): Promise<void>;
  /** Adds a partner invitation record with its own details to this outbound deal (`alone`: see removeTeamMember). */
  requestInvitation(crmId: string, invitation: InvitationSpec, options?: { alone?: boolean }): Promise<void>;
  /** Deletes the seller's invitation rows for a partner (the related list's Delete), and empties the invite-partner field if it names them. */
  deleteInvitation(crmId: string, partnerId: string): Promise<void>;
  accept(crmId: string): Promise<void>;
  decline(crmId: string, reason: CloseReason): Promise<void>;
  /**
   * Closes the deal as won; `value`: the final revenue the seller enters as it closes (Salesforce: Amount;
   * Dynamics 365: the Close Opportunity dialog's Actual Revenue, the estimate staying as it was).
   */
  win(crmId: string, options?: { value?: number }): Promise<void>;
  lose(crmId: string, reason: CloseReason): Promise<void>;
  /** Picks the decline or loss reason on the open deal, before closing it. */
  setCloseReason(crmId: string, reason: CloseReason): Promise<void>;
  /** Reopens a won or lost deal (Salesforce: an open stage again; Dynamics 365: "Reopen Opportunity"). */
  reopen(crmId: string): Promise<void>;
  /** Adds a team member (`alone`: see removeTeamMember). */
  addTeamMember(crmId: string, person: PersonSpec, options?: { alone?: boolean }): Promise<void>;
  /**
   * Removes a team member. `alone`: only the member row is deleted (an API call or a related-list delete
   * that does not save the opportunity), so the connector must find the deletion by itself.
   */
  removeTeamMember(crmId: string, email: string, options?: { alone?: boolean }): Promise<void>;
  /** Adds a solution row (`alone`: see removeTeamMember). */
  addSolution(crmId: string, solution: DealSpec['solutions'][number], options?: { alone?: boolean }): Promise<void>;
  /**
   * Deletes the deal's solution rows with this solution ID. Salesforce: the opportunity itself is never
   * saved; Dynamics 365: the form saves it unless `alone` (see removeTeamMember).
   */
  removeSolution(crmId: string, solutionId: string, options?: { alone?: boolean }): Promise<void>;
  /** Makes this person the deal's primary customer contact (a new contact on the deal's account). */
  setPrimaryContact(crmId: string, person: PersonSpec): Promise<void>;
  /** Removes the deal's customer contact (its contact roles; the contact itself stays). */
  removeContacts(crmId: string): Promise<void>;
  /** Deletes the opportunity. */
  deleteDeal(crmId: string): Promise<void>;
  read(crmId: string): Promise<RecordView>;
  /** CRM IDs of the records carrying this referral ID (exactly one when all is well). */
  recordsForReferral(referralId: string): Promise<string[]>;
  /** CRM IDs of every opportunity in the CRM. */
  allRecords(): Promise<string[]>;
  /** IDs of the CRM leads carrying this referral ID (Salesforce Lead, Dataverse lead). */
  leadsForReferral(referralId: string): Promise<string[]>;
  readLead(leadId: string): Promise<LeadView>;
  /** The seller converts (Salesforce) or qualifies (Dynamics) the lead; returns the new opportunity's ID. */
  convertLead(leadId: string): Promise<string>;
  /** The seller answers the referral on the lead, as on an opportunity: accept, or decline (a reason picked or not). */
  acceptLead(leadId: string): Promise<void>;
  declineLead(leadId: string, reason?: CloseReason): Promise<void>;
}
