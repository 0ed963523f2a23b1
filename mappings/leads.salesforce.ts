/**
 * A lead referral as a Salesforce Lead, as data (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm).
 * Company and LastName are required: the customer's name stands in for a missing contact name. The
 * connector's own Lead fields (installed by setup) carry the referral ID, the Partner Center link, the
 * qualification and the deal name, and — with the same names and meanings as on the Opportunity — the sync
 * state and message, Partner Center's status, the answer-by date and the seller's answer (accept or decline,
 * with the decline reason). Converting the lead is the seller's (Convert button); the connector reads
 * IsConverted and ConvertedOpportunityId. Until then Partner Center owns what the lead shows of the referral.
 */
import { CloseReason } from '../core/model/enums.js';
import type { ReferralStatus } from '../core/model/enums.js';
import type { Referral } from '../core/model/referral.js';
import type { SyncStatus } from '../core/model/sync-status.js';
import { F, OPPORTUNITY_FIELDS } from './custom-fields.salesforce.js';
import { statusValues } from './fields.salesforce.js';

export const LEAD_F = {
  referralId: 'Cosell_Referral_Id__c',
  referralLink: 'Cosell_Referral_Link__c',
  qualification: 'Cosell_Qualification__c',
  dealName: 'Cosell_Deal_Name__c',
  syncState: F.syncState,
  syncMessage: F.syncMessage,
  referralStatus: F.referralStatus,
  answerBy: F.answerBy,
  response: F.response,
  closeReason: F.closeReason,
} as const;

/** The Opportunity fields a lead carries too, installed on Lead with the same metadata. */
const SHARED_WITH_OPPORTUNITY: readonly string[] = [F.syncState, F.syncMessage, F.referralStatus, F.answerBy, F.response, F.closeReason];

/** Tooling API CustomField bodies for the Lead fields (setup). */
export const LEAD_CUSTOM_FIELDS = [
  { object: 'Lead', name: LEAD_F.referralId, metadata: { label: 'Partner Center referral ID', type: 'Text', length: 64, externalId: true } },
  { object: 'Lead', name: LEAD_F.referralLink, metadata: { label: 'Partner Center link', type: 'Url' } },
  { object: 'Lead', name: LEAD_F.qualification, metadata: { label: 'Partner Center qualification', type: 'Text', length: 40, inlineHelpText: 'How Partner Center qualified this lead: MarketingQualified, Direct (from a customer) or None.' } },
  { object: 'Lead', name: LEAD_F.dealName, metadata: { label: 'Partner Center deal name', type: 'Text', length: 255 } },
  ...OPPORTUNITY_FIELDS.filter((f) => SHARED_WITH_OPPORTUNITY.includes(f.name)).map((f) => ({ ...f, object: 'Lead' })),
];

const cut = (s: string | undefined, n: number) => (s === undefined ? undefined : s.slice(0, n));

/** One Lead field filled from the referral; `canonical` is the referral path whose change rewrites it. */
interface LeadFieldRow {
  canonical: string;
  field: string;
  value: (r: Referral) => unknown;
  /** Required on the Lead: never written empty. */
  required?: boolean;
}

export const LEAD_FIELD_TABLE: readonly LeadFieldRow[] = [
  { canonical: 'customer.name', field: 'Company', required: true, value: (r) => cut(r.customer.name || r.dealName, 255) },
  { canonical: 'customerContact', field: 'LastName', required: true, value: (r) => cut(r.customerContact?.lastName || r.customer.name || r.dealName, 80) },
  { canonical: 'customerContact', field: 'FirstName', value: (r) => cut(r.customerContact?.firstName, 40) },
  { canonical: 'customerContact', field: 'Email', value: (r) => r.customerContact?.email },
  { canonical: 'customerContact', field: 'Phone', value: (r) => cut(r.customerContact?.phone, 40) },
  { canonical: 'customer.addressLine1', field: 'Street', value: (r) => cut([r.customer.addressLine1, r.customer.addressLine2].filter(Boolean).join('\n') || undefined, 255) },
  { canonical: 'customer.addressLine2', field: 'Street', value: (r) => cut([r.customer.addressLine1, r.customer.addressLine2].filter(Boolean).join('\n') || undefined, 255) },
  { canonical: 'customer.city', field: 'City', value: (r) => cut(r.customer.city, 40) },
  { canonical: 'customer.state', field: 'State', value: (r) => cut(r.customer.state, 80) },
  { canonical: 'customer.postalCode', field: 'PostalCode', value: (r) => cut(r.customer.postalCode, 20) },
  { canonical: 'customer.country', field: 'Country', value: (r) => r.customer.country },
  { canonical: 'notes', field: 'Description', value: (r) => cut(r.notes, 32_000) },
  { canonical: 'referralId', field: LEAD_F.referralId, value: (r) => r.referralId },
  { canonical: 'qualification', field: LEAD_F.qualification, value: (r) => r.qualification },
  { canonical: 'dealName', field: LEAD_F.dealName, value: (r) => cut(r.dealName, 255) },
];

/**
 * The Lead Status that says where the referral is once Partner Center moved it: working once accepted,
 * "Closed - Not Converted" once the referral closed (declined, expired, lost) without the lead being
 * converted. While Partner Center still waits for an answer the Lead Status is the seller's to set.
 */
export const LEAD_STATUS_FOR: Readonly<Partial<Record<ReferralStatus, string>>> = {
  Active: 'Working - Contacted',
  Closed: 'Closed - Not Converted',
};

/** The sync status parts a Lead shows (the Opportunity's converters, so both read alike): only the connector writes them. */
export const LEAD_STATUS_FIELDS: readonly string[] = [F.syncState, F.syncMessage, F.referralStatus, F.answerBy, F.referralLink];
const LEAD_STATUS_PARTS = new Set<string>(LEAD_STATUS_FIELDS);
/** Those of them that hold a date and time. */
export const LEAD_STATUS_DATETIMES: ReadonlySet<string> = new Set([F.answerBy]);

const touches = (row: LeadFieldRow, changed: readonly string[]) =>
  changed.some((c) => c === row.canonical || row.canonical.startsWith(`${c}.`) || c.startsWith(`${row.canonical}.`));

/** What every lead the connector creates says of its origin. */
export const LEAD_CREATE_DEFAULTS: Readonly<Record<string, unknown>> = { LeadSource: 'Partner Referral' };

/** The Lead's field values for a referral: all of them (a create), or those behind `changedFields` (an update). */
export function leadValues(r: Referral, changedFields?: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const row of LEAD_FIELD_TABLE) {
    if (changedFields && !touches(row, changedFields)) continue;
    const v = row.value(r);
    if (v === undefined || v === '') {
      if (changedFields && !row.required) values[row.field] = null;
    } else values[row.field] = v;
  }
  return values;
}

/** The Lead's status fields for a sync status, and its Lead Status from Partner Center's. */
export function leadStatusValues(status: SyncStatus): Record<string, unknown> {
  const values = Object.fromEntries(Object.entries(statusValues(status)).filter(([field]) => LEAD_STATUS_PARTS.has(field)));
  const leadStatus = status.referralStatus && LEAD_STATUS_FOR[status.referralStatus.status];
  if (leadStatus) values.Status = leadStatus;
  return values;
}

/** The seller's answer on the Lead, as the Opportunity's "Referral response" reads. */
export function leadAnswer(row: Record<string, unknown>): { response?: 'accept' | 'decline'; closeReason?: CloseReason } {
  const response = row[LEAD_F.response] === 'Accept' ? 'accept' : row[LEAD_F.response] === 'Decline' ? 'decline' : undefined;
  const reason = typeof row[LEAD_F.closeReason] === 'string' ? CloseReason.values.find((v) => v.label === row[LEAD_F.closeReason] || v.name === row[LEAD_F.closeReason])?.name : undefined;
  return { ...(response ? { response } : {}), ...(reason ? { closeReason: reason } : {}) };
}
