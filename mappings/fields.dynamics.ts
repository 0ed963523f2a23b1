/**
 * The declarative field table between the canonical referral and Dataverse columns. Each row names a
 * canonical path, the table and column behind it, how values convert (by `kind`, and `choices` for
 * choice columns), and which way it flows. `{prefix}` in a column stands for the publisher prefix
 * (default `cosell_`); such columns are the connector's own and `setup()` creates them.
 *
 * Paths: `dealName`, `customer.city` (referral paths); `team[].email`, `solutions[].id` (child rows);
 * `sync.*` (the sync status written back for the seller); `intent.*` (the seller's own choices).
 * Config `fieldOverrides` can point a path at another column or change its direction.
 * Column reference: https://learn.microsoft.com/dynamics365/sales/developer/entities/opportunity
 */
import { CloseReason, HelpType } from '../core/model/enums.js';

export type DynamicsTable = 'opportunity' | 'account' | 'contact' | 'teammember' | 'solution' | 'invitation';
export type ColumnKind = 'string' | 'memo' | 'money' | 'decimal' | 'integer' | 'boolean' | 'date' | 'datetime' | 'choice';
export type FieldDirection = 'both' | 'toCrm' | 'fromCrm';

export interface Choice {
  value: number;
  canonical: string;
  label: string;
}

export interface DynamicsFieldRow {
  path: string;
  table: DynamicsTable;
  column: string;
  kind: ColumnKind;
  direction: FieldDirection;
  /** Shown to sellers on the form (and used as the column's display name by setup). */
  label: string;
  maxLength?: number;
  choices?: readonly Choice[];
  /**
   * A column a seller may empty: empty, it reads as cleared (`CrmDeal.cleared`), not as no opinion. Notes
   * and optional account columns are then emptied in Partner Center; value, close date and the mandatory
   * customer columns (name, street 1, city, country) are refused by its rules, on the record.
   */
  clearable?: true;
}

/** Custom choice values start at 100,000,000, as Dataverse does for a publisher's option values. */
const OPTION_BASE = 100_000_000;

export const HELP_TYPE_CHOICES: readonly Choice[] = HelpType.values.map((v) => ({ value: OPTION_BASE + Number(v.code), canonical: v.name, label: v.label }));
export const CLOSE_REASON_CHOICES: readonly Choice[] = CloseReason.values.map((v) => ({ value: OPTION_BASE + Number(v.code), canonical: v.name, label: v.label }));
export const RESPONSE_CHOICES: readonly Choice[] = [
  { value: OPTION_BASE + 1, canonical: 'accept', label: 'Accept' },
  { value: OPTION_BASE + 2, canonical: 'decline', label: 'Decline' },
];

const row = (path: string, table: DynamicsTable, column: string, kind: ColumnKind, direction: FieldDirection, label: string, extra: Partial<DynamicsFieldRow> = {}): DynamicsFieldRow => ({
  path, table, column, kind, direction, label, ...extra,
});

export const DYNAMICS_FIELD_TABLE: readonly DynamicsFieldRow[] = [
  // Deal details (standard opportunity columns).
  row('dealName', 'opportunity', 'name', 'string', 'both', 'Topic', { maxLength: 300 }),
  row('value', 'opportunity', 'estimatedvalue', 'money', 'both', 'Est. Revenue', { clearable: true }),
  row('closeDate', 'opportunity', 'estimatedclosedate', 'date', 'both', 'Est. Close Date', { clearable: true }),
  row('notes', 'opportunity', 'description', 'memo', 'both', 'Description', { maxLength: 2000, clearable: true }),

  // Identity and Partner Center's view, written back by the connector.
  row('referralId', 'opportunity', '{prefix}referralid', 'string', 'both', 'Partner Center Referral ID', { maxLength: 100 }),
  row('engagementId', 'opportunity', '{prefix}engagementid', 'string', 'both', 'Partner Center Engagement ID', { maxLength: 100 }),
  row('dealType', 'opportunity', '{prefix}dealtype', 'string', 'both', 'Co-sell Deal Type', { maxLength: 40 }),
  row('direction', 'opportunity', '{prefix}direction', 'string', 'both', 'Referral Direction', { maxLength: 20 }),
  row('microsoft.status', 'opportunity', '{prefix}microsoftstatus', 'string', 'both', "Microsoft's Status", { maxLength: 40 }),
  row('microsoft.crmId', 'opportunity', '{prefix}microsoftcrmid', 'string', 'both', 'Microsoft CRM Identifier', { maxLength: 100 }),
  row('sync.referralStatus', 'opportunity', '{prefix}referralstatus', 'string', 'both', 'Referral Status', { maxLength: 20 }),
  row('sync.referralSubstatus', 'opportunity', '{prefix}referralsubstatus', 'string', 'both', 'Referral Substatus', { maxLength: 20 }),
  row('sync.state', 'opportunity', '{prefix}syncstate', 'string', 'toCrm', 'Co-sell Sync State', { maxLength: 20 }),
  row('sync.message', 'opportunity', '{prefix}syncmessage', 'memo', 'toCrm', 'Co-sell Sync Message', { maxLength: 2000 }),
  row('sync.lastSyncedAt', 'opportunity', '{prefix}lastsyncedon', 'datetime', 'toCrm', 'Last Synced With Partner Center'),
  row('sync.referralLink', 'opportunity', '{prefix}referrallink', 'string', 'toCrm', 'Partner Center Referral Link', { maxLength: 500 }),
  row('sync.registrationEligible', 'opportunity', '{prefix}registrationeligible', 'boolean', 'toCrm', 'Deal Registration Eligible'),
  // Partner Center's favorite mark, both ways (as on Salesforce); the favorites view filters on it.
  row('favorite', 'opportunity', '{prefix}favorite', 'boolean', 'both', 'Partner Center Favorite'),
  row('sync.heldUntil', 'opportunity', '{prefix}helduntil', 'datetime', 'toCrm', 'Won Held Until'),
  // Deal registration after Won (core/rules/registration-follow-up.ts).
  row('sync.registrationNote', 'opportunity', '{prefix}registrationnote', 'string', 'toCrm', 'Deal Registration', { maxLength: 500 }),
  row('sync.registrationDeadline', 'opportunity', '{prefix}registerby', 'datetime', 'toCrm', 'Register Deal By'),
  row('sync.registrationStatus', 'opportunity', '{prefix}registrationstatus', 'string', 'toCrm', 'Deal Registration Status', { maxLength: 40 }),
  row('sync.answerBy', 'opportunity', '{prefix}answerby', 'datetime', 'toCrm', 'Answer Referral By'),
  row('sync.microsoftAnswerBy', 'opportunity', '{prefix}microsoftanswerby', 'datetime', 'toCrm', 'Microsoft Answers By'),
  // The MPN location ID: read for new outbound deals, written from Partner Center's (it cannot change after creation).
  row('location', 'opportunity', '{prefix}location', 'string', 'both', 'MPN Location', { maxLength: 100 }),

  // The seller's co-sell actions, set on the opportunity form.
  row('intent.optedIn', 'opportunity', '{prefix}syncwithpartnercenter', 'boolean', 'both', 'Sync With Partner Center'),
  row('intent.response', 'opportunity', '{prefix}response', 'choice', 'fromCrm', 'Accept or Decline Referral', { choices: RESPONSE_CHOICES }),
  row('helpType', 'opportunity', '{prefix}helptype', 'choice', 'both', 'How Can Microsoft Help?', { choices: HELP_TYPE_CHOICES }),
  row('shareWithMicrosoftSellers', 'opportunity', '{prefix}sharewithmicrosoft', 'boolean', 'both', 'Share With Microsoft Sellers'),
  row('notesToMicrosoft', 'opportunity', '{prefix}notestomicrosoft', 'memo', 'both', 'Notes To Microsoft', { maxLength: 2000, clearable: true }),
  row('consentToShareContacts', 'opportunity', '{prefix}consent', 'boolean', 'both', 'Consent To Share Contacts'),
  row('closeReason', 'opportunity', '{prefix}closereason', 'choice', 'both', 'Decline Or Loss Reason', { choices: CLOSE_REASON_CHOICES }),
  row('closeNotes', 'opportunity', '{prefix}closenotes', 'memo', 'both', 'Decline Or Loss Notes', { maxLength: 2000 }),
  // A shortcut a seller types (one partner, or several separated by ";"); the connector shows the partners it
  // invited as invitation rows instead (connectors/dynamics/README.md), so it never writes this column.
  row('intent.invitePartnerId', 'opportunity', '{prefix}invitepartnerid', 'string', 'fromCrm', 'Invite Partner (Partner Center ID)', { maxLength: 100 }),

  // The customer (parent account) and customer contact (parent contact). An emptied account column is a
  // change to nothing (optional ones are emptied in Partner Center, mandatory ones refused on the record):
  // until 2026-12-06 it read as no opinion, and Partner Center kept the old city while the record said synced.
  row('customer.name', 'account', 'name', 'string', 'both', 'Account Name', { maxLength: 160, clearable: true }),
  row('customer.addressLine1', 'account', 'address1_line1', 'string', 'both', 'Street 1', { maxLength: 250, clearable: true }),
  row('customer.addressLine2', 'account', 'address1_line2', 'string', 'both', 'Street 2', { maxLength: 250, clearable: true }),
  row('customer.city', 'account', 'address1_city', 'string', 'both', 'City', { maxLength: 80, clearable: true }),
  row('customer.state', 'account', 'address1_stateorprovince', 'string', 'both', 'State/Province', { maxLength: 50, clearable: true }),
  row('customer.postalCode', 'account', 'address1_postalcode', 'string', 'both', 'ZIP/Postal Code', { maxLength: 20, clearable: true }),
  row('customer.country', 'account', 'address1_country', 'string', 'both', 'Country/Region (ISO code)', { maxLength: 80, clearable: true }),
  row('customer.duns', 'account', '{prefix}dunsnumber', 'string', 'both', 'D-U-N-S Number', { maxLength: 20, clearable: true }),
  row('customerContact.firstName', 'contact', 'firstname', 'string', 'both', 'First Name', { maxLength: 50 }),
  row('customerContact.lastName', 'contact', 'lastname', 'string', 'both', 'Last Name', { maxLength: 50 }),
  row('customerContact.email', 'contact', 'emailaddress1', 'string', 'both', 'Email', { maxLength: 100 }),
  row('customerContact.phone', 'contact', 'telephone1', 'string', 'both', 'Business Phone', { maxLength: 50 }),

  // Team members and solutions: the connector's child tables (see connectors/dynamics/README.md).
  row('team[].firstName', 'teammember', '{prefix}firstname', 'string', 'both', 'First Name', { maxLength: 50 }),
  row('team[].lastName', 'teammember', '{prefix}lastname', 'string', 'both', 'Last Name', { maxLength: 50 }),
  row('team[].email', 'teammember', '{prefix}email', 'string', 'both', 'Email', { maxLength: 100 }),
  row('team[].phone', 'teammember', '{prefix}phone', 'string', 'both', 'Phone', { maxLength: 50 }),
  row('solutions[].id', 'solution', '{prefix}pcsolutionid', 'string', 'both', 'Partner Center Solution ID', { maxLength: 100 }),
  row('solutions[].kind', 'solution', '{prefix}kind', 'string', 'both', 'Solution Kind', { maxLength: 20 }),
  row('solutions[].currency', 'solution', '{prefix}currency', 'string', 'both', 'Currency', { maxLength: 3 }),
  row('solutions[].price', 'solution', '{prefix}price', 'decimal', 'both', 'Price'),
  row('solutions[].quantity', 'solution', '{prefix}quantity', 'integer', 'both', 'Quantity'),
  row('solutions[].incentiveEligible', 'solution', '{prefix}incentiveeligible', 'boolean', 'both', 'IP Co-sell Incentive Eligible'),
  // Seed: "the partner has to choose the location for which the assessment is being created".
  row('solutions[].assessmentLocation', 'solution', '{prefix}assessmentlocation', 'string', 'both', 'Assessment Location', { maxLength: 100 }),
  // Partner-to-partner invitations the seller asks for, one row per invited partner
  // (connectors/invitation-requests.ts): read from the CRM; edits are not sent. The connector adds a row only for
  // a partner Partner Center invited that the record names nowhere (payloads.ts newInvitation).
  row('invitations[].partnerId', 'invitation', '{prefix}partnerid', 'string', 'fromCrm', 'Partner ID (Partner Center)', { maxLength: 100 }),
  row('invitations[].closeDate', 'invitation', '{prefix}closedate', 'date', 'fromCrm', 'Estimated Close Date'),
  row('invitations[].value', 'invitation', '{prefix}value', 'decimal', 'fromCrm', 'Estimated Value'),
  row('invitations[].currency', 'invitation', '{prefix}currency', 'string', 'fromCrm', 'Currency', { maxLength: 3 }),
  row('invitations[].notes', 'invitation', '{prefix}notes', 'memo', 'fromCrm', 'Notes to the Partner', { maxLength: 2000 }),
  row('invitations[].teamEmails', 'invitation', '{prefix}teamemails', 'string', 'fromCrm', 'Our Team (emails, separated by ;)', { maxLength: 400 }),
  row('invitations[].solutionIds', 'invitation', '{prefix}solutionids', 'string', 'fromCrm', 'Solutions (IDs, separated by ;)', { maxLength: 400 }),
  row('invitations[].helpNeeded', 'invitation', '{prefix}helpneeded', 'string', 'fromCrm', 'Help Needed', { maxLength: 255 }),
];

export interface FieldOverride {
  column?: string;
  direction?: FieldDirection;
}

/** The table with the prefix filled in and overrides applied (by canonical path). */
export function effectiveFieldTable(prefix: string, overrides: Readonly<Record<string, FieldOverride>> = {}): DynamicsFieldRow[] {
  return DYNAMICS_FIELD_TABLE.map((r) => {
    const o = overrides[r.path] ?? {};
    return { ...r, column: (o.column ?? r.column).replace('{prefix}', prefix), direction: o.direction ?? r.direction };
  });
}

/**
 * The most characters Dataverse keeps per canonical referral path the connector writes (`CrmAdapter.textLimits`):
 * the columns' MaxLength. Sync status, seller intent and child-row paths are not referral fields.
 */
export function textLimitsOf(rows: readonly DynamicsFieldRow[]): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const r of rows) {
    // The sync message too, which the engine composes to fit (core/engine/consent-note.ts); no other status column.
    if (r.maxLength === undefined || r.direction === 'fromCrm' || r.path.includes('[]') || (/^(sync|intent)\./.test(r.path) && r.path !== 'sync.message')) continue;
    limits[r.path] = r.maxLength;
  }
  return limits;
}

/** Whether a column is the connector's own (carries the publisher prefix) and so is created by setup. */
export const isConnectorColumn = (column: string, prefix: string): boolean => column.startsWith(prefix);
