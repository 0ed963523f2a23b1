/**
 * The bulk CSV columns as data, in the order of the seed's column table ("Bulk operations for Co-sell
 * opportunities using comma-separated value (CSV) files"): name, "Is mandatory?" (Yes/No/Depends),
 * whether import ignores it, the canonical field path(s) it carries, and its parse/format pair.
 *
 * `Solution N` and `Team member N` are families ({@link SOLUTION_FAMILY}, {@link TEAM_FAMILY}): "add
 * extra columns next to solution 1 and use the column name as Solution X", "You can add up to 50".
 */
import { MicrosoftStatus, ReferralStatus, ReferralSubstatus, CloseReason, HelpType, salesStagePercent, type Referral } from '../model/index.js';
import { formatNumber, formatUsDate, formatYesNo, parseNumber, parseUsDate, parseYesNo, type CellContext } from './cells.js';
import { parseCloseReason, parseHelpType, parseSalesStagePercent, parseStatus, parseSubstatus } from './codes.js';

export type Mandatory = 'Yes' | 'No' | 'Depends';

export interface ColumnSpec<T = unknown> {
  /** The header as documented. */
  readonly name: string;
  /** The seed's "Is mandatory?" value. */
  readonly mandatory: Mandatory;
  /** Import never writes this column into a referral (Errors, the IDs, Microsoft Referral Status). */
  readonly readOnly: boolean;
  /** Canonical field paths carried by the column; rule violations on them are reported against it. */
  readonly fields: readonly string[];
  /** Trimmed, unescaped, non-empty cell text → value. Throws CellError. */
  parse(text: string, ctx: CellContext): T;
  /** The cell for a referral, before neutralisation. */
  format(referral: Referral): string;
}

const text = (value: string): string => value;
const blank = (value: string | undefined): string => value ?? '';

function column<T>(spec: ColumnSpec<T>): ColumnSpec<T> {
  return spec;
}

export const ERRORS = column({ name: 'Errors', mandatory: 'No', readOnly: true, fields: [], parse: text, format: () => '' });
/** "Not required for new referral creation. You can use the existing engagement ID if you are updating a record." */
export const ENGAGEMENT_ID = column({ name: 'Engagement ID', mandatory: 'No', readOnly: true, fields: ['engagementId'], parse: text, format: (r) => blank(r.engagementId) });
/** "Fill it with the referral ID if you are updating an existing record." */
export const REFERRAL_ID = column({ name: 'Referral ID', mandatory: 'No', readOnly: true, fields: ['referralId'], parse: text, format: (r) => blank(r.referralId) });
export const DEAL_NAME = column({ name: 'Deal Name', mandatory: 'Yes', readOnly: false, fields: ['dealName'], parse: text, format: (r) => r.dealName });
export const CUSTOMER_NAME = column({ name: 'Customer Name', mandatory: 'Yes', readOnly: false, fields: ['customer.name'], parse: text, format: (r) => r.customer.name });
export const ADDRESS_LINE_1 = column({ name: 'Customer Address Line 1', mandatory: 'Yes', readOnly: false, fields: ['customer.addressLine1'], parse: text, format: (r) => blank(r.customer.addressLine1) });
export const ADDRESS_LINE_2 = column({ name: 'Customer Address Line 2', mandatory: 'No', readOnly: false, fields: ['customer.addressLine2'], parse: text, format: (r) => blank(r.customer.addressLine2) });
export const CITY = column({ name: 'Customer City', mandatory: 'Yes', readOnly: false, fields: ['customer.city'], parse: text, format: (r) => blank(r.customer.city) });
export const STATE = column({ name: 'Customer State', mandatory: 'No', readOnly: false, fields: ['customer.state'], parse: text, format: (r) => blank(r.customer.state) });
export const POSTAL_CODE = column({ name: 'Customer Postal Code', mandatory: 'No', readOnly: false, fields: ['customer.postalCode'], parse: text, format: (r) => blank(r.customer.postalCode) });
/** "Use the two letter country codes" (checked by the rule format.country). */
export const COUNTRY = column({ name: 'Customer Country', mandatory: 'Yes', readOnly: false, fields: ['customer.country'], parse: text, format: (r) => blank(r.customer.country) });
export const DUNS = column({ name: 'Customer D-U-N-S ID', mandatory: 'No', readOnly: false, fields: ['customer.duns'], parse: text, format: (r) => blank(r.customer.duns) });
/** "First name is only mandatory if you need Microsoft help" (rule customer_contact.required_for_help). */
export const CONTACT_FIRST_NAME = column({ name: 'Customer Contact First Name', mandatory: 'Depends', readOnly: false, fields: ['customerContact.firstName', 'customerContact'], parse: text, format: (r) => blank(r.customerContact?.firstName) });
export const CONTACT_LAST_NAME = column({ name: 'Customer Contact Last Name', mandatory: 'Depends', readOnly: false, fields: ['customerContact.lastName'], parse: text, format: (r) => blank(r.customerContact?.lastName) });
export const CONTACT_PHONE = column({ name: 'Customer Contact Phone number', mandatory: 'Depends', readOnly: false, fields: ['customerContact.phone'], parse: text, format: (r) => blank(r.customerContact?.phone) });
export const CONTACT_EMAIL = column({ name: 'Customer Contact Email Address', mandatory: 'Depends', readOnly: false, fields: ['customerContact.email'], parse: text, format: (r) => blank(r.customerContact?.email) });
/** "Use New if you are trying to create a new deal." */
export const STATUS = column({ name: 'Partner Referral Status', mandatory: 'Yes', readOnly: false, fields: ['status'], parse: parseStatus, format: (r) => ReferralStatus.toCode(r.status) });
/** "Use Accepted if you are trying to create a new deal. It is also required if you are modifying an existing referral." */
export const SUBSTATUS = column({ name: 'Partner Referral Substatus', mandatory: 'Yes', readOnly: false, fields: ['substatus'], parse: parseSubstatus, format: (r) => ReferralSubstatus.toCode(r.substatus) });
/** "This is a read-only field. Any change made to this field while importing the data will be ignored." */
export const MICROSOFT_STATUS = column({ name: 'Microsoft Referral Status', mandatory: 'Depends', readOnly: true, fields: ['microsoft', 'microsoft.status'], parse: text, format: (r) => (r.microsoft ? MicrosoftStatus.toCode(r.microsoft.status) : '') });
/** "only if you are changing the sub status of your field to either Declined or Lost" (rule close_reason.required). */
export const CLOSE_REASON = column({ name: 'Declined/Lost reason', mandatory: 'Depends', readOnly: false, fields: ['closeReason'], parse: parseCloseReason, format: (r) => (r.closeReason ? CloseReason.toCode(r.closeReason) : '') });
export const SALES_STAGE = column({ name: 'Sales Stage', mandatory: 'No', readOnly: false, fields: ['salesStage'], parse: parseSalesStagePercent, format: (r) => (r.salesStage ? String(salesStagePercent(r.salesStage)) : '') });
export const DEAL_VALUE = column({ name: 'Estimated Deal Value', mandatory: 'Yes', readOnly: false, fields: ['value'], parse: parseNumber, format: (r) => formatNumber(r.value) });
export const CURRENCY = column({ name: 'Currency', mandatory: 'Yes', readOnly: false, fields: ['currency'], parse: text, format: (r) => blank(r.currency) });
/** "in the format MM/DD/YYYY. The date should be in UTC timezone." */
export const CLOSE_DATE = column({ name: 'Estimated Close Date', mandatory: 'Yes', readOnly: false, fields: ['closeDate'], parse: parseUsDate, format: (r) => formatUsDate(r.closeDate) });
/** "Identifier of this specific referral in your CRM system if any. This is a free form text entry field." */
export const CRM_ID = column({ name: 'CRM ID', mandatory: 'No', readOnly: false, fields: ['crmId'], parse: text, format: (r) => blank(r.crmId) });
export const CAMPAIGN_ID = column({ name: 'Marketing Campaign ID', mandatory: 'No', readOnly: false, fields: ['marketingCampaignId'], parse: text, format: (r) => blank(r.marketingCampaignId) });
export const NOTES = column({ name: 'Notes', mandatory: 'No', readOnly: false, fields: ['notes'], parse: text, format: (r) => blank(r.notes) });
/** Deal type follows from the help and sharing answers, so `dealType` problems are reported here. */
export const HELP_REQUIRED = column({ name: 'Microsoft help required?', mandatory: 'Yes', readOnly: false, fields: ['dealType'], parse: parseYesNo, format: (r) => formatYesNo(r.helpType !== undefined) });
/** "applicable only if you choose Yes for the question 'Microsoft help required?'" */
export const HELP_TYPE = column({ name: 'What specific help from Microsoft?', mandatory: 'Depends', readOnly: false, fields: ['helpType'], parse: parseHelpType, format: (r) => (r.helpType ? HelpType.toCode(r.helpType) : '') });
export const SHARE = column({ name: 'Share with Microsoft sales team', mandatory: 'Yes', readOnly: false, fields: ['shareWithMicrosoftSellers'], parse: parseYesNo, format: (r) => formatYesNo(r.shareWithMicrosoftSellers) });
export const NOTES_TO_MICROSOFT = column({ name: 'Notes to Microsoft', mandatory: 'No', readOnly: false, fields: ['notesToMicrosoft'], parse: text, format: (r) => blank(r.notesToMicrosoft) });
/** "Deals will not be created or updated if you choose No for this column" (rule consent.required, checked on every imported row). */
export const CONSENT = column({ name: 'Consent to share Customer/Partner contact', mandatory: 'Yes', readOnly: false, fields: ['consentToShareContacts'], parse: parseYesNo, format: (r) => formatYesNo(r.consentToShareContacts) });

/** Every single column, in the documented order; the families follow them. */
export const COLUMNS: readonly ColumnSpec[] = [
  ERRORS, ENGAGEMENT_ID, REFERRAL_ID, DEAL_NAME, CUSTOMER_NAME, ADDRESS_LINE_1, ADDRESS_LINE_2, CITY, STATE, POSTAL_CODE,
  COUNTRY, DUNS, CONTACT_FIRST_NAME, CONTACT_LAST_NAME, CONTACT_PHONE, CONTACT_EMAIL, STATUS, SUBSTATUS, MICROSOFT_STATUS,
  CLOSE_REASON, SALES_STAGE, DEAL_VALUE, CURRENCY, CLOSE_DATE, CRM_ID, CAMPAIGN_ID, NOTES, HELP_REQUIRED, HELP_TYPE, SHARE,
  NOTES_TO_MICROSOFT, CONSENT,
] as ColumnSpec[];
