/**
 * The connector's own Salesforce fields and custom objects, the ones `setup` installs in the org, as
 * Tooling API metadata (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm):
 * their API names, types and lengths. Mapping data, so it lives here: the field table, the lead table
 * and the list views (mappings/*.salesforce.ts) read it without importing the connector, and the
 * connector (setup, the SOQL builders) imports it from here too.
 */
import { CONSENT_FIELD_LABEL } from '../core/model/consent.js';
import { SYNC_STATES } from '../core/model/sync-status.js';
import { CloseReason, DealType, HelpType, MicrosoftStatus, SolutionKind } from '../core/model/enums.js';

export const SOLUTION_OBJECT = 'Cosell_Solution__c';
/** Master-detail from a solution to its opportunity, and the child relationship name on Opportunity. */
export const SOLUTION_PARENT_FIELD = 'Opportunity__c';
export const SOLUTION_RELATIONSHIP = 'Cosell_Solutions';

/** One partner-to-partner invitation per row (connectors/invitation-requests.ts), master-detail to Opportunity. */
export const INVITATION_OBJECT = 'Cosell_Partner_Invitation__c';
export const INVITATION_RELATIONSHIP = 'Cosell_Partner_Invitations';
export const INVITATION_FIELDS = {
  partnerId: 'Partner_Id__c',
  closeDate: 'Close_Date__c',
  value: 'Value__c',
  currency: 'Currency__c',
  notes: 'Notes__c',
  teamEmails: 'Team_Emails__c',
  solutionIds: 'Solution_Ids__c',
  helpNeeded: 'Help_Needed__c',
} as const;

export const F = {
  optIn: 'Cosell_Sync__c',
  /** The customer's consent to share contacts: the only source of consent (core/model/consent.ts). */
  consent: 'Cosell_Consent_To_Share_Contacts__c',
  helpType: 'Cosell_Help_Type__c',
  shareWithMicrosoft: 'Cosell_Share_With_Microsoft__c',
  notesToMicrosoft: 'Cosell_Notes_To_Microsoft__c',
  response: 'Cosell_Response__c',
  closeReason: 'Cosell_Close_Reason__c',
  closeNotes: 'Cosell_Close_Notes__c',
  invitePartnerId: 'Cosell_Invite_Partner_Id__c',
  referralStatus: 'Cosell_Referral_Status__c',
  syncState: 'Cosell_Sync_State__c',
  syncMessage: 'Cosell_Sync_Message__c',
  lastSynced: 'Cosell_Last_Synced__c',
  referralId: 'Cosell_Referral_Id__c',
  referralLink: 'Cosell_Referral_Link__c',
  engagementId: 'Cosell_Engagement_Id__c',
  microsoftStatus: 'Cosell_Microsoft_Status__c',
  dealType: 'Cosell_Deal_Type__c',
  direction: 'Cosell_Direction__c',
  registrationEligible: 'Cosell_Registration_Eligible__c',
  heldUntil: 'Cosell_Held_Until__c',
  registrationNote: 'Cosell_Registration_Note__c',
  registrationDeadline: 'Cosell_Register_By__c',
  registrationStatus: 'Cosell_Registration_Status__c',
  answerBy: 'Cosell_Answer_By__c',
  microsoftAnswerBy: 'Cosell_Microsoft_Answer_By__c',
  /** The MPN location ID the deal is created in (seed "Location": mandatory, not editable after creation). */
  location: 'Cosell_Location__c',
  favorite: 'Cosell_Favorite__c',
  campaignId: 'Cosell_Campaign_Id__c',
  microsoftRequestedAt: 'Cosell_Microsoft_Requested_At__c',
  microsoftCrmId: 'Cosell_Microsoft_Crm_Id__c',
  invitations: 'Cosell_Invitations__c',
  outsideTeam: 'Cosell_Outside_Team__c',
} as const;

export const SOLUTION_FIELDS = {
  solutionId: 'Solution_Id__c',
  kind: 'Kind__c',
  price: 'Price__c',
  quantity: 'Quantity__c',
  currency: 'Currency__c',
  incentiveEligible: 'Incentive_Eligible__c',
  /** A solution assessment's location (seed: "the partner has to choose the location for which the assessment is being created"). */
  assessmentLocation: 'Assessment_Location__c',
} as const;

export const RESPONSES = ['Accept', 'Decline'] as const;
export const DIRECTIONS = ['Inbound', 'Outbound'] as const;
export const SYNC_MESSAGE_LENGTH = 255;

export interface FieldMetadata {
  label: string;
  type: string;
  length?: number;
  visibleLines?: number;
  precision?: number;
  scale?: number;
  defaultValue?: string;
  externalId?: boolean;
  unique?: boolean;
  inlineHelpText?: string;
  referenceTo?: string;
  relationshipName?: string;
  relationshipLabel?: string;
  valueSet?: { restricted: boolean; valueSetDefinition: { sorted: boolean; value: { fullName: string; label: string; default: boolean }[] } };
}

export interface CustomFieldSpec {
  object: string;
  name: string;
  metadata: FieldMetadata;
}

const picklist = (values: readonly string[]): FieldMetadata['valueSet'] => ({
  restricted: true,
  valueSetDefinition: { sorted: false, value: values.map((v) => ({ fullName: v, label: v, default: false })) },
});

const text = (label: string, length: number, extra: Partial<FieldMetadata> = {}): FieldMetadata => ({ label, type: 'Text', length, ...extra });
const checkbox = (label: string, inlineHelpText: string): FieldMetadata => ({ label, type: 'Checkbox', defaultValue: 'false', inlineHelpText });
const pick = (label: string, values: readonly string[], inlineHelpText?: string): FieldMetadata => ({ label, type: 'Picklist', valueSet: picklist(values), ...(inlineHelpText ? { inlineHelpText } : {}) });

export const OPPORTUNITY_FIELDS: CustomFieldSpec[] = [
  { name: F.optIn, metadata: checkbox('Sync with Partner Center', 'Tick to share this opportunity with Microsoft Partner Center as a co-sell deal.') },
  { name: F.consent, metadata: checkbox(CONSENT_FIELD_LABEL, 'Tick only once the customer agreed that their contact (name, email, phone) is shared with Microsoft. Unticked, the deal is sent without it; a co-sell deal needs it.') },
  { name: F.helpType, metadata: pick('Help from Microsoft', HelpType.values.map((v) => v.label), 'What help you ask of Microsoft; leave empty for none.') },
  { name: F.shareWithMicrosoft, metadata: checkbox('Share with Microsoft sellers', 'Let Microsoft sellers view this deal.') },
  { name: F.notesToMicrosoft, metadata: { label: 'Notes to Microsoft', type: 'LongTextArea', length: 2000, visibleLines: 3 } },
  { name: F.response, metadata: pick('Referral response', RESPONSES, 'For a referral from Partner Center: accept or decline it.') },
  { name: F.closeReason, metadata: pick('Decline or loss reason', CloseReason.values.map((v) => v.label)) },
  { name: F.closeNotes, metadata: text('Decline or loss notes', 255) },
  { name: F.invitePartnerId, metadata: text('Invite partner (Partner ID)', 64, { inlineHelpText: 'The Partner Center ID of a partner to invite to this deal.' }) },
  { name: F.referralStatus, metadata: text('Partner Center status', 40) },
  { name: F.syncState, metadata: pick('Co-sell sync state', SYNC_STATES) },
  { name: F.syncMessage, metadata: text('Co-sell sync message', SYNC_MESSAGE_LENGTH) },
  { name: F.lastSynced, metadata: { label: 'Co-sell last synced', type: 'DateTime' } },
  { name: F.referralId, metadata: text('Partner Center referral ID', 64, { externalId: true, unique: true }) },
  { name: F.referralLink, metadata: { label: 'Partner Center link', type: 'Url' } },
  { name: F.engagementId, metadata: text('Partner Center engagement ID', 64) },
  { name: F.microsoftStatus, metadata: pick("Microsoft's status", MicrosoftStatus.values.map((v) => v.name)) },
  { name: F.dealType, metadata: pick('Co-sell deal type', DealType.values.map((v) => v.label)) },
  { name: F.direction, metadata: pick('Co-sell direction', DIRECTIONS) },
  { name: F.registrationEligible, metadata: checkbox('Deal registration eligible', 'Partner Center says this deal can be registered.') },
  { name: F.heldUntil, metadata: { label: 'Co-sell held until', type: 'DateTime' } },
  { name: F.registrationNote, metadata: text('Deal registration', 255, { inlineHelpText: 'After Won: whether this deal can be registered in Partner Center, why, and what to do.' }) },
  { name: F.registrationDeadline, metadata: { label: 'Register deal by', type: 'DateTime', inlineHelpText: 'Register within 60 days of contract signature (Register now on the deal in Partner Center; the Partner Center link opens it).' } },
  { name: F.registrationStatus, metadata: text('Deal registration status', 40, { inlineHelpText: "Partner Center's deal registration state: Registered, ActionRequired or Validated." }) },
  { name: F.answerBy, metadata: { label: 'Answer referral by', type: 'DateTime', inlineHelpText: 'Accept or decline this referral before then, or Partner Center archives it as Expired (14 days).' } },
  { name: F.microsoftAnswerBy, metadata: { label: 'Microsoft answers by', type: 'DateTime', inlineHelpText: 'Microsoft sellers have 14 days from the co-sell request to decide whether they participate.' } },
  { name: F.location, metadata: text('MPN location', 64, { inlineHelpText: 'The Partner Center location ID this deal is created in; empty for your default. It cannot be changed once the deal is in Partner Center.' }) },
  { name: F.favorite, metadata: checkbox('Partner Center favorite', 'Marked as a favorite in Partner Center.') },
  { name: F.campaignId, metadata: text('Marketing campaign ID', 100) },
  { name: F.microsoftRequestedAt, metadata: { label: 'Co-sell requested from Microsoft', type: 'DateTime' } },
  { name: F.microsoftCrmId, metadata: text('Microsoft CRM identifier', 100) },
  { name: F.invitations, metadata: { label: 'Partner invitations (Partner Center)', type: 'LongTextArea', length: 32768, visibleLines: 3, inlineHelpText: 'Kept by the connector: the partners invited to this deal, as Partner Center reports them.' } },
  { name: F.outsideTeam, metadata: { label: 'Deal team outside Salesforce', type: 'LongTextArea', length: 32768, visibleLines: 3, inlineHelpText: 'Kept by the connector: members of the deal team in Partner Center who are not Salesforce users (an opportunity team holds users only), such as Microsoft\'s sellers.' } },
].map((f) => ({ object: 'Opportunity', ...f }));

/** A custom object that lives and dies with its opportunity (master-detail: sharing follows the parent). */
function childObjectMetadata(label: string, nameLabel: string) {
  return { label, pluralLabel: `${label}s`, nameField: { label: nameLabel, type: 'Text' }, deploymentStatus: 'Deployed', sharingModel: 'ControlledByParent' };
}

export const SOLUTION_OBJECT_METADATA = childObjectMetadata('Co-sell Solution', 'Solution Name');

export const SOLUTION_OBJECT_FIELDS: CustomFieldSpec[] = [
  { name: SOLUTION_PARENT_FIELD, metadata: { label: 'Opportunity', type: 'MasterDetail', referenceTo: 'Opportunity', relationshipName: SOLUTION_RELATIONSHIP, relationshipLabel: 'Co-sell Solutions' } },
  { name: SOLUTION_FIELDS.solutionId, metadata: text('Partner Center solution ID', 64) },
  { name: SOLUTION_FIELDS.kind, metadata: pick('Solution kind', SolutionKind.values.map((v) => v.label)) },
  { name: SOLUTION_FIELDS.price, metadata: { label: 'Price', type: 'Number', precision: 16, scale: 2 } },
  { name: SOLUTION_FIELDS.quantity, metadata: { label: 'Quantity', type: 'Number', precision: 10, scale: 0 } },
  { name: SOLUTION_FIELDS.currency, metadata: text('Currency', 3) },
  { name: SOLUTION_FIELDS.incentiveEligible, metadata: checkbox('IP co-sell incentive eligible', 'The solution carries an IP co-sell incentive (deal registration).') },
  { name: SOLUTION_FIELDS.assessmentLocation, metadata: text('Assessment location', 100) },
].map((f) => ({ object: SOLUTION_OBJECT, ...f }));

export const INVITATION_OBJECT_METADATA = childObjectMetadata('Co-sell Partner Invitation', 'Invitation Name');

export const INVITATION_OBJECT_FIELDS: CustomFieldSpec[] = [
  { name: SOLUTION_PARENT_FIELD, metadata: { label: 'Opportunity', type: 'MasterDetail', referenceTo: 'Opportunity', relationshipName: INVITATION_RELATIONSHIP, relationshipLabel: 'Co-sell Partner Invitations' } },
  { name: INVITATION_FIELDS.partnerId, metadata: text('Partner ID (Partner Center)', 64, { inlineHelpText: 'The Partner Center organisation ID of the partner to invite.' }) },
  { name: INVITATION_FIELDS.closeDate, metadata: { label: 'Estimated close date', type: 'Date', inlineHelpText: 'When the invited partner should complete their part; empty = the deal\'s close date.' } },
  { name: INVITATION_FIELDS.value, metadata: { label: 'Estimated value', type: 'Number', precision: 16, scale: 2, inlineHelpText: 'The invited partner\'s share of the deal; empty = the deal\'s value.' } },
  { name: INVITATION_FIELDS.currency, metadata: text('Currency', 3) },
  { name: INVITATION_FIELDS.notes, metadata: { label: 'Notes to the partner', type: 'LongTextArea', length: 2000, visibleLines: 3 } },
  { name: INVITATION_FIELDS.teamEmails, metadata: text('Our team (emails)', 255, { inlineHelpText: 'Emails of deal-team members who work with this partner, separated by ";"; empty = the whole deal team.' }) },
  { name: INVITATION_FIELDS.solutionIds, metadata: text('Solutions (IDs)', 255, { inlineHelpText: 'Solution IDs from this deal the partner brings, separated by ";"; empty = all of the deal\'s solutions.' }) },
  { name: INVITATION_FIELDS.helpNeeded, metadata: text('Help needed', 255) },
].map((f) => ({ object: INVITATION_OBJECT, ...f }));
