/**
 * A lead referral as a Dataverse lead, as data (https://learn.microsoft.com/dynamics365/sales/developer/entities/lead):
 * the standard columns Microsoft's own 2019 sample fills (subject, companyname, firstname/lastname,
 * budgetamount; partner-center-api.md §2.4) and the connector's columns (installed on lead by setup) for the
 * referral ID, the Partner Center link and the qualification, and — with the same names and meanings as on
 * the opportunity — the sync state and message, Partner Center's status, the answer-by date and the
 * seller's answer (accept or decline, with the decline reason). Qualifying the lead is the seller's; the
 * connector reads statecode and qualifyingopportunityid. Until then Partner Center owns what the lead shows.
 */
import { CLOSE_REASON_CHOICES, DYNAMICS_FIELD_TABLE, RESPONSE_CHOICES, type ColumnKind, type DynamicsFieldRow } from './fields.dynamics.js';
import type { CloseReason, ReferralStatus } from '../core/model/enums.js';
import type { Referral } from '../core/model/referral.js';
import { STATUS_CLEARED_WHEN_ABSENT, type SyncStatus } from '../core/model/sync-status.js';
import { fitMessage } from '../core/engine/shorten.js';

type LeadColumn = Pick<DynamicsFieldRow, 'column' | 'kind' | 'label' | 'maxLength' | 'choices'>;

/** The opportunity's rows a lead carries too, installed on lead with the same column and kind. */
const SHARED_WITH_OPPORTUNITY = ['sync.state', 'sync.message', 'sync.referralStatus', 'sync.referralSubstatus', 'sync.answerBy', 'intent.response', 'closeReason'] as const;
const shared = (path: (typeof SHARED_WITH_OPPORTUNITY)[number]): DynamicsFieldRow => DYNAMICS_FIELD_TABLE.find((r) => r.path === path && r.table === 'opportunity')!;

/** The connector's own lead columns, `{prefix}` replaced by the publisher prefix. */
export const LEAD_COLUMNS: readonly (LeadColumn & { kind: ColumnKind })[] = [
  { column: '{prefix}referralid', kind: 'string', label: 'Partner Center Referral ID', maxLength: 100 },
  { column: '{prefix}referrallink', kind: 'string', label: 'Partner Center Referral Link', maxLength: 500 },
  { column: '{prefix}qualification', kind: 'string', label: 'Partner Center Qualification', maxLength: 40 },
  ...SHARED_WITH_OPPORTUNITY.map((path) => {
    const { column, kind, label, maxLength, choices } = shared(path);
    return { column, kind, label, ...(maxLength !== undefined ? { maxLength } : {}), ...(choices ? { choices } : {}) };
  }),
];

const cut = (s: string | undefined, n: number) => (s === undefined ? undefined : s.slice(0, n));

/** One lead column filled from the referral; `canonical` is the referral path whose change rewrites it. */
interface LeadFieldRow {
  canonical: string;
  column: string;
  value: (r: Referral) => unknown;
}

export const LEAD_FIELD_TABLE: readonly LeadFieldRow[] = [
  { canonical: 'dealName', column: 'subject', value: (r) => cut(r.dealName, 300) },
  { canonical: 'customer.name', column: 'companyname', value: (r) => cut(r.customer.name, 100) },
  { canonical: 'customerContact', column: 'firstname', value: (r) => cut(r.customerContact?.firstName, 50) },
  { canonical: 'customerContact', column: 'lastname', value: (r) => cut(r.customerContact?.lastName || r.customer.name, 50) },
  { canonical: 'customerContact', column: 'emailaddress1', value: (r) => cut(r.customerContact?.email, 100) },
  { canonical: 'customerContact', column: 'telephone1', value: (r) => cut(r.customerContact?.phone, 50) },
  { canonical: 'customer.addressLine1', column: 'address1_line1', value: (r) => cut(r.customer.addressLine1, 250) },
  { canonical: 'customer.city', column: 'address1_city', value: (r) => cut(r.customer.city, 80) },
  { canonical: 'customer.state', column: 'address1_stateorprovince', value: (r) => cut(r.customer.state, 50) },
  { canonical: 'customer.postalCode', column: 'address1_postalcode', value: (r) => cut(r.customer.postalCode, 20) },
  { canonical: 'customer.country', column: 'address1_country', value: (r) => cut(r.customer.country, 80) },
  { canonical: 'notes', column: 'description', value: (r) => cut(r.notes, 2000) },
  { canonical: 'value', column: 'budgetamount', value: (r) => r.value },
  { canonical: 'closeDate', column: 'estimatedclosedate', value: (r) => r.closeDate },
  { canonical: 'referralId', column: '{prefix}referralid', value: (r) => r.referralId },
  { canonical: 'qualification', column: '{prefix}qualification', value: (r) => r.qualification },
];

/**
 * The lead's own state that says where the referral is once Partner Center moved it (lead statecode 0 Open
 * with statuscode 2 Contacted; 2 Disqualified with statuscode 7 Canceled): contacted once accepted,
 * disqualified once the referral closed (declined, expired, lost) without the lead being qualified. While
 * Partner Center still waits for an answer the lead's state is the seller's to set.
 */
export const LEAD_STATE_FOR: Readonly<Partial<Record<ReferralStatus, { statecode: number; statuscode: number }>>> = {
  Active: { statecode: 0, statuscode: 2 },
  Closed: { statecode: 2, statuscode: 7 },
};

const touches = (row: LeadFieldRow, changed: readonly string[]) =>
  changed.some((c) => c === row.canonical || row.canonical.startsWith(`${c}.`) || c.startsWith(`${row.canonical}.`));

/** The lead's column values for a referral: all of them (a create), or those behind `changedFields` (an update). */
export function leadBody(r: Referral, prefix: string, changedFields?: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const row of LEAD_FIELD_TABLE) {
    if (changedFields && !touches(row, changedFields)) continue;
    const v = row.value(r);
    const column = row.column.replace('{prefix}', prefix);
    if (v !== undefined && v !== '') body[column] = v;
    else if (changedFields) body[column] = null;
  }
  return body;
}

const statusColumn = (path: (typeof SHARED_WITH_OPPORTUNITY)[number], prefix: string) => shared(path).column.replace('{prefix}', prefix);

/** The lead's status columns for a sync status, and its state from Partner Center's status. */
export function leadStatusBody(status: SyncStatus, prefix: string): Record<string, unknown> {
  const max = shared('sync.message').maxLength;
  const message = status.message && max !== undefined ? fitMessage(status.message, max) : status.message;
  const body: Record<string, unknown> = {
    [statusColumn('sync.state', prefix)]: status.state,
    [statusColumn('sync.message', prefix)]: message || null,
  };
  if (status.answerBy || STATUS_CLEARED_WHEN_ABSENT.has('answerBy')) body[statusColumn('sync.answerBy', prefix)] = status.answerBy ? new Date(status.answerBy).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
  if (status.referralLink) body[`${prefix}referrallink`] = cut(status.referralLink, 500);
  if (status.referralStatus) {
    body[statusColumn('sync.referralStatus', prefix)] = status.referralStatus.status;
    body[statusColumn('sync.referralSubstatus', prefix)] = status.referralStatus.substatus;
    Object.assign(body, LEAD_STATE_FOR[status.referralStatus.status] ?? {});
  }
  return body;
}

/** The lead's status columns only the connector writes (read back: a seller's edit of them is written over). */
export const leadStatusColumns = (prefix: string): string[] => [
  ...(['sync.state', 'sync.message', 'sync.answerBy', 'sync.referralStatus', 'sync.referralSubstatus'] as const).map((path) => statusColumn(path, prefix)), `${prefix}referrallink`,
];

/** Those of them that hold a date and time. */
export const leadStatusDatetimes = (prefix: string): ReadonlySet<string> => new Set([statusColumn('sync.answerBy', prefix)]);

/** The seller's answer on the lead, read with the opportunity's choices. */
export function leadAnswer(row: Record<string, unknown>, prefix: string): { response?: 'accept' | 'decline'; closeReason?: CloseReason } {
  const response = RESPONSE_CHOICES.find((c) => c.value === row[statusColumn('intent.response', prefix)])?.canonical as 'accept' | 'decline' | undefined;
  const closeReason = CLOSE_REASON_CHOICES.find((c) => c.value === row[statusColumn('closeReason', prefix)])?.canonical as CloseReason | undefined;
  return { ...(response ? { response } : {}), ...(closeReason ? { closeReason } : {}) };
}

/** The columns `leadAnswer` reads. */
export const leadAnswerColumns = (prefix: string): string[] => [statusColumn('intent.response', prefix), statusColumn('closeReason', prefix)];
