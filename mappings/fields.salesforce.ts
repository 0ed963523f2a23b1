/**
 * The declarative field table between the canonical Referral and a Salesforce Opportunity. One row per
 * canonical path: the Salesforce field (a field of the Opportunity, or a child-to-parent path such as
 * `Account.Name`), the direction, and converters. Config can point a row at another field or switch it
 * off (`fieldOverrides`). Everything here is pure; the adapter does the I/O.
 *
 * Direction:
 * - `both`: read from Salesforce and written back when the engine changes that canonical path;
 * - `read`: read only: an update never writes it (audit dates, IDs that only the status write-back sets).
 *   `customer.*` rows are read from the Account; an update writes them to the Account (see write.ts).
 */
import { daysInMonth } from '../core/model/calendar.js';
import { CloseReason, DealType, Direction, HelpType, MicrosoftStatus } from '../core/model/enums.js';
import { OWN_STATUS_PARTS, STATUS_CLEARED_WHEN_ABSENT, type SyncStatus } from '../core/engine/crm-port.js';
import { F, OPPORTUNITY_FIELDS, SYNC_MESSAGE_LENGTH } from './custom-fields.salesforce.js';
import { fitMessage } from '../core/engine/shorten.js';

export interface SalesforceFieldRow {
  canonical: string;
  field: string;
  direction: 'both' | 'read';
  toCanonical?: (value: unknown) => unknown;
  toSalesforce?: (value: unknown) => unknown;
  /** The field's length, for standard text fields (the connector's own fields have theirs in custom-fields.ts). */
  maxLength?: number;
  /**
   * A field a seller may empty: empty, it reads as cleared (`CrmDeal.cleared`), not as no opinion. Notes
   * and optional Account fields are then emptied in Partner Center; value, close date and the mandatory
   * customer fields (name, street, city, country) are refused by its rules, on the record.
   */
  clearable?: true;
}

/** Salesforce's own form of a UTC date and time, as every answer writes one: `2024-05-01T10:00:00.000+0000`. */
const SF_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;
const twoDigits = (text: string, at: number) => (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);

/**
 * A datetime in Salesforce's UTC form whose every part is in range: its ISO text is its own with `Z` for
 * `+0000`, the text `Date` gives back for it. Three of these are read per deal (created, modified, stamp)
 * and parsing and printing each through `Date` was 5% of turning a page of rows into deals (bench/sf-read-assemble.ts).
 * Anything else, out-of-range parts included (`Date` moves 30 February to March), is left to `Date`.
 */
function inRangeUtc(value: string): string | undefined {
  if (value.length !== 28 || !SF_UTC.test(value)) return undefined;
  const year = twoDigits(value, 0) * 100 + twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (twoDigits(value, 11) > 23 || twoDigits(value, 14) > 59 || twoDigits(value, 17) > 59) return undefined;
  return `${value.slice(0, 23)}Z`;
}

/** `2024-05-01T10:00:00.000+0000` → `2024-05-01T10:00:00.000Z`. */
export function sfDatetimeToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const utc = inRangeUtc(value);
  if (utc !== undefined) return utc;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const labelToName = (e: { values: readonly { name: string; label: string }[] }) => (v: unknown) =>
  typeof v === 'string' ? (e.values.find((x) => x.label === v || x.name === v)?.name ?? `unknown:${v}`) : undefined;
const nameToLabel = (e: { values: readonly { name: string; label: string }[] }) => (v: unknown) =>
  typeof v === 'string' ? (e.values.find((x) => x.name === v)?.label ?? null) : null;
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const nullable = (v: unknown) => (v === undefined || v === '' ? null : v);
const parseJsonArray = (v: unknown) => {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

/** The Account's street from the canonical address lines. */
export function billingStreet(customer: { addressLine1?: string; addressLine2?: string }): string | null {
  return [customer.addressLine1, customer.addressLine2].filter((l) => l && l.trim()).join('\n') || null;
}

export const DEFAULT_FIELD_TABLE: readonly SalesforceFieldRow[] = [
  // Opportunity.Name is Text(120); Description is a Long Text Area of 32,000 (Opportunity object reference).
  { canonical: 'dealName', field: 'Name', direction: 'both', maxLength: 120, toCanonical: (v) => (typeof v === 'string' ? v : '') },
  { canonical: 'value', field: 'Amount', direction: 'both', clearable: true, toCanonical: (v) => (typeof v === 'number' ? v : undefined), toSalesforce: nullable },
  { canonical: 'currency', field: 'CurrencyIsoCode', direction: 'both', toCanonical: text },
  { canonical: 'closeDate', field: 'CloseDate', direction: 'both', clearable: true, toCanonical: text },
  { canonical: 'notes', field: 'Description', direction: 'both', maxLength: 32_000, clearable: true, toCanonical: text, toSalesforce: nullable },
  { canonical: 'helpType', field: F.helpType, direction: 'both', toCanonical: labelToName(HelpType), toSalesforce: nameToLabel(HelpType) },
  { canonical: 'shareWithMicrosoftSellers', field: F.shareWithMicrosoft, direction: 'both', toCanonical: (v) => v === true, toSalesforce: (v) => v === true },
  { canonical: 'notesToMicrosoft', field: F.notesToMicrosoft, direction: 'both', clearable: true, toCanonical: text, toSalesforce: nullable },
  { canonical: 'consentToShareContacts', field: F.consent, direction: 'both', toCanonical: (v) => v === true, toSalesforce: (v) => v === true },
  { canonical: 'favorite', field: F.favorite, direction: 'both', toCanonical: (v) => v === true, toSalesforce: (v) => v === true },
  { canonical: 'marketingCampaignId', field: F.campaignId, direction: 'both', clearable: true, toCanonical: text, toSalesforce: nullable },
  { canonical: 'microsoft.requestedAt', field: F.microsoftRequestedAt, direction: 'both', toCanonical: sfDatetimeToIso, toSalesforce: nullable },
  { canonical: 'microsoft.crmId', field: F.microsoftCrmId, direction: 'both', toCanonical: text, toSalesforce: nullable },
  { canonical: 'invitations', field: F.invitations, direction: 'both', toCanonical: parseJsonArray, toSalesforce: (v) => (Array.isArray(v) && v.length ? JSON.stringify(v) : null) },
  { canonical: 'microsoft.status', field: F.microsoftStatus, direction: 'both', toCanonical: (v) => (typeof v === 'string' && MicrosoftStatus.isName(v) ? v : undefined), toSalesforce: (v) => v ?? null },
  { canonical: 'closeReason', field: F.closeReason, direction: 'both', toCanonical: labelToName(CloseReason), toSalesforce: nameToLabel(CloseReason) },
  // Read for new outbound deals; written from Partner Center's value (it cannot change after creation).
  { canonical: 'location', field: F.location, direction: 'both', toCanonical: text, toSalesforce: nullable },
  { canonical: 'closeNotes', field: F.closeNotes, direction: 'both', toCanonical: text, toSalesforce: nullable },
  { canonical: 'referralId', field: F.referralId, direction: 'read', toCanonical: text },
  { canonical: 'engagementId', field: F.engagementId, direction: 'read', toCanonical: text },
  { canonical: 'createdAt', field: 'CreatedDate', direction: 'read', toCanonical: sfDatetimeToIso },
  { canonical: 'updatedAt', field: 'LastModifiedDate', direction: 'read', toCanonical: sfDatetimeToIso },
  // An emptied Account field is a change to nothing (optional ones are emptied in Partner Center, mandatory
  // ones refused on the record): until 2026-12-06 it read as no opinion, and the record said synced.
  { canonical: 'customer.name', field: 'Account.Name', direction: 'read', clearable: true, toCanonical: (v) => (typeof v === 'string' ? v : '') },
  // Salesforce has one multi-line street field: line 1 and line 2 are its first line and the rest.
  { canonical: 'customer.addressLine1', field: 'Account.BillingStreet', direction: 'read', clearable: true, toCanonical: (v) => text(typeof v === 'string' ? v.split('\n')[0] : v) },
  { canonical: 'customer.addressLine2', field: 'Account.BillingStreet', direction: 'read', clearable: true, toCanonical: (v) => text(typeof v === 'string' ? v.split('\n').slice(1).join(', ') : undefined) },
  { canonical: 'customer.city', field: 'Account.BillingCity', direction: 'read', clearable: true, toCanonical: text },
  { canonical: 'customer.state', field: 'Account.BillingState', direction: 'read', clearable: true, toCanonical: text },
  { canonical: 'customer.postalCode', field: 'Account.BillingPostalCode', direction: 'read', clearable: true, toCanonical: text },
  { canonical: 'customer.country', field: 'Account.BillingCountry', direction: 'read', clearable: true, toCanonical: (v) => (typeof v === 'string' && v.trim() ? v.trim().toUpperCase() : undefined) },
  { canonical: 'customer.duns', field: 'Account.DunsNumber', direction: 'read', clearable: true, toCanonical: text },
];

/** Where each part of the sync status is written on the Opportunity. */
export const STATUS_FIELDS: readonly { status: keyof SyncStatus; field: string; toSalesforce: (v: unknown) => unknown }[] = [
  { status: 'state', field: F.syncState, toSalesforce: (v) => v ?? null },
  // The field holds 255 characters (SYNC_MESSAGE_LENGTH); a longer message is cut between words and says where the rest is.
  { status: 'message', field: F.syncMessage, toSalesforce: (v) => (typeof v === 'string' && v ? fitMessage(v, SYNC_MESSAGE_LENGTH) : null) },
  { status: 'lastSyncedAt', field: F.lastSynced, toSalesforce: (v) => v ?? null },
  { status: 'referralId', field: F.referralId, toSalesforce: (v) => v ?? null },
  { status: 'engagementId', field: F.engagementId, toSalesforce: (v) => v ?? null },
  { status: 'referralLink', field: F.referralLink, toSalesforce: (v) => v ?? null },
  { status: 'microsoftStatus', field: F.microsoftStatus, toSalesforce: (v) => v ?? null },
  { status: 'referralStatus', field: F.referralStatus, toSalesforce: (v) => (v && typeof v === 'object' ? `${(v as { status: string }).status}/${(v as { substatus: string }).substatus}` : null) },
  { status: 'dealType', field: F.dealType, toSalesforce: (v) => (typeof v === 'string' ? DealType.label(v as DealType) : null) },
  { status: 'direction', field: F.direction, toSalesforce: (v) => (typeof v === 'string' ? Direction.toCode(v as Direction) : null) },
  { status: 'registrationEligible', field: F.registrationEligible, toSalesforce: (v) => v === true },
  { status: 'heldUntil', field: F.heldUntil, toSalesforce: (v) => v ?? null },
  { status: 'registrationNote', field: F.registrationNote, toSalesforce: (v) => v ?? null },
  { status: 'registrationDeadline', field: F.registrationDeadline, toSalesforce: (v) => v ?? null },
  { status: 'registrationStatus', field: F.registrationStatus, toSalesforce: (v) => v ?? null },
  { status: 'answerBy', field: F.answerBy, toSalesforce: (v) => v ?? null },
  { status: 'microsoftAnswerBy', field: F.microsoftAnswerBy, toSalesforce: (v) => v ?? null },
];

/** The fields of the status parts only the connector writes (OWN_STATUS_PARTS): read back, never into the deal. */
export const OWN_STATUS_FIELDS: readonly string[] = STATUS_FIELDS.filter((row) => OWN_STATUS_PARTS.includes(row.status)).map((row) => row.field);
/** The sync message among them (compared only as set or empty where its saved form was not kept). */
export const OWN_STATUS_MESSAGE: ReadonlySet<string> = new Set([F.syncMessage]);
/** Those of them that hold a date and time (custom-fields.salesforce.ts: `DateTime`). */
export const OWN_STATUS_DATETIMES: ReadonlySet<string> = new Set(OPPORTUNITY_FIELDS.filter((f) => f.metadata.type === 'DateTime' && OWN_STATUS_FIELDS.includes(f.name)).map((f) => f.name));

/** Canonical path → Salesforce field (or null to switch the row off). */
export type FieldOverrides = Readonly<Record<string, string | null>>;

export function effectiveFieldTable(overrides: FieldOverrides = {}, base: readonly SalesforceFieldRow[] = DEFAULT_FIELD_TABLE): SalesforceFieldRow[] {
  const rows: SalesforceFieldRow[] = [];
  for (const row of base) {
    if (!(row.canonical in overrides)) rows.push(row);
    else if (overrides[row.canonical]) {
      // Another field has its own length, which this table does not know.
      const { maxLength: _length, ...rest } = row;
      rows.push({ ...rest, field: overrides[row.canonical]! });
    }
  }
  for (const [canonical, field] of Object.entries(overrides)) {
    if (field && !base.some((r) => r.canonical === canonical)) rows.push({ canonical, field, direction: 'read' });
  }
  return rows;
}

/** The connector's own fields' lengths, as setup creates them. */
const CUSTOM_FIELD_LENGTHS: ReadonlyMap<string, number | undefined> = new Map(OPPORTUNITY_FIELDS.map((f) => [f.name, f.metadata.length]));

/** The most characters Salesforce keeps per canonical path written to the Opportunity (`CrmAdapter.textLimits`). */
export function textLimitsOf(rows: readonly SalesforceFieldRow[]): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const row of rows) {
    if (row.direction !== 'both' || row.field.includes('.')) continue;
    const max = row.maxLength ?? CUSTOM_FIELD_LENGTHS.get(row.field);
    if (max !== undefined) limits[row.canonical] = max;
  }
  // The record's sync message, which the engine composes to fit (core/engine/consent-note.ts).
  limits['sync.message'] = SYNC_MESSAGE_LENGTH;
  return limits;
}

/**
 * A dotted path's parts, split once per path: the table's few dozen paths are read and set for every deal
 * read (`Account.BillingCity`, `customer.city`), and each split and slice was a new array per field per deal.
 */
const partsOfPath = new Map<string, readonly string[]>();
const PATHS_KEPT = 1_000;

function pathParts(path: string): readonly string[] {
  let parts = partsOfPath.get(path);
  if (parts === undefined) {
    parts = path.split('.');
    if (partsOfPath.size < PATHS_KEPT) partsOfPath.set(path, parts);
  }
  return parts;
}

/** The query returned this field (null when empty), through its relationship when the name has a dot. */
export function fieldWasRead(record: Record<string, unknown>, field: string): boolean {
  const parts = pathParts(field);
  let current: unknown = record;
  for (let i = 0; i < parts.length - 1; i += 1) {
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<string, unknown>)[parts[i]!];
  }
  return current !== null && typeof current === 'object' && parts[parts.length - 1]! in current;
}

/** Reads `Account.Name` from a query record (`{Account: {Name}}`). */
export function readField(record: Record<string, unknown>, field: string): unknown {
  // Most rows name a field of the record itself: read it without splitting the name (every row of every deal read).
  if (!field.includes('.')) return record !== null && typeof record === 'object' ? (record[field] ?? undefined) : undefined;
  let current: unknown = record;
  for (const part of pathParts(field)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current ?? undefined;
}

/** Sets a dotted path; an undefined value sets nothing (and creates no empty parent objects). */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  if (!path.includes('.')) {
    target[path] = value;
    return;
  }
  const parts = pathParts(path);
  let current = target;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const part = parts[i]!;
    if (typeof current[part] !== 'object' || current[part] === null) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1]!] = value;
}

export function getPath(source: unknown, path: string): unknown {
  return readField((source ?? {}) as Record<string, unknown>, path);
}

/** The Opportunity fields to SELECT for the table (relationship paths included). */
export function selectFields(rows: readonly SalesforceFieldRow[]): string[] {
  return [...new Set(rows.map((r) => r.field))];
}

/**
 * The Opportunity values for an update: only rows whose canonical path (or a parent of it) is in
 * `changedFields`, only `both` rows, only fields of the Opportunity itself.
 */
export function opportunityValuesFor(referral: unknown, rows: readonly SalesforceFieldRow[], changedFields: readonly string[]): { values: Record<string, unknown>; ignored: string[] } {
  const values: Record<string, unknown> = {};
  const ignored: string[] = [];
  // Loops, not `filter` with arrows: a closure made per call loses its optimized code at each full GC, and the
  // engine's 1% cycle compiled it again every cycle (bench/README.md, "Engine CPU per changed record").
  for (const changed of changedFields) {
    let written = 0;
    for (const row of rows) {
      if (!(row.canonical === changed || row.canonical.startsWith(`${changed}.`))) continue;
      if (row.direction !== 'both' || row.field.includes('.')) continue;
      written += 1;
      const v = getPath(referral, row.canonical);
      values[row.field] = row.toSalesforce ? row.toSalesforce(v) : (v ?? null);
    }
    if (written === 0) ignored.push(changed);
  }
  return { values, ignored };
}

/** Status fields for a write-back; absent optional parts are left as they are, except those absent once over. */
export function statusValues(status: SyncStatus): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const row of STATUS_FIELDS) {
    if (row.status === 'state' || STATUS_CLEARED_WHEN_ABSENT.has(row.status) || status[row.status] !== undefined) values[row.field] = row.toSalesforce(status[row.status]);
  }
  return values;
}

/** Every status field emptied (the referral ID, the deal's own, aside): a record the connector does not sync shows none. */
export function clearedStatusValues(): Record<string, unknown> {
  return Object.fromEntries(STATUS_FIELDS.filter((row) => row.status !== 'referralId').map((row) => [row.field, row.toSalesforce(undefined)]));
}

/** The canonical path behind a Salesforce field, for error messages. */
export function canonicalPathOf(field: string, rows: readonly SalesforceFieldRow[]): string | undefined {
  return rows.find((r) => r.field.toLowerCase() === field.toLowerCase())?.canonical;
}
