/**
 * The connector's own long text fields, read apart from the listing. "If the SOQL statement selects two or
 * more custom fields of type long text, the batch size can't be greater than 200 records" (Change the Batch
 * Size in Queries, REST and SOAP alike), and an opportunity carries three that setup creates: the seller's
 * notes to Microsoft, and the partner invitations and outside deal team Partner Center reports (kept by the
 * connector). A listing that selected all three came 200 opportunities a batch, ten times the calls of one at
 * 2,000. The listing keeps the notes (one long text field: 2,000 a batch) and leaves the two kept fields to
 * the page's related call, which reads them only for the listed rows the engine does not hold:
 * - up to 200 such rows: the window-members query selects both for those rows (`Id IN`), one batch of at
 *   most 200, in the call it was already part of, so a page of a few changes costs nothing more;
 * - more (a bulk change, the initial sync): one query each, over the whole window (one long text field a
 *   statement: 2,000 a batch); a sixth query operation, so the related call becomes two (Salesforce allows
 *   five a Composite call), one more call per page of 2,000 where the 200-row listing cost nine more.
 * A row's version leaves both out (`opportunityVersion`): the listing's rows must version as a full read's
 * do. The fields still move SystemModstamp, which the version holds, so a save of them alone is still seen;
 * only two saves in one second that differ in nothing else would share a version (a seller editing
 * connector-kept JSON in the second the connector saved). Versions stored before this change differ once:
 * a listed row is read in full once, a write's version check sends its record to be read again once.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_changing_batch_size.htm
 */
import { F } from '../../mappings/custom-fields.salesforce.js';
import type { SfRecord } from './assemble.js';
import { rowVersion, rowVersionMemo } from './row-version.js';
import { inList, quoteId } from './soql.js';

/** The connector-kept long text fields the listing leaves out. */
export const LONG_TEXT_APART: readonly string[] = [F.invitations, F.outsideTeam];
/** Rows whose kept fields one window-members query reads (a statement with two long text fields: 200 a batch). */
export const APART_ROWS = 200;

const apart = new Set(LONG_TEXT_APART.map((f) => f.toLowerCase()));

/** The listing's select list: `fields` without the fields read apart. */
export function listingFields(fields: readonly string[]): string[] {
  return fields.filter((f) => !apart.has(f.toLowerCase()));
}

/** An opportunity row's version (row-version.ts) without the fields read apart: the listing's and a full read's agree. */
export function opportunityVersion(record: Readonly<Record<string, unknown>>): string {
  return rowVersion(record, LONG_TEXT_APART);
}

/** `opportunityVersion` remembered per row object, for the rows of one listing (row-version.ts `rowVersionMemo`). */
export function opportunityVersionMemo(): (record: Readonly<Record<string, unknown>>) => string {
  return rowVersionMemo(LONG_TEXT_APART);
}

/**
 * Whether the listing reads a row's kept fields: only a linked record's. On a record without a referral ID
 * they can only be a clone's copies, which the connector never reads (assemble.ts `ownFields`) and empties
 * when the record's first referral is linked (`copiedWriteBacks` counts a kept field not read as copied).
 */
export function readsApartFields(row: Readonly<Record<string, unknown>>): boolean {
  const id = row[F.referralId];
  return typeof id === 'string' && id.trim() !== '';
}

/** Whether the members statement of `membersQueries` selects a kept long text field (then a batch holds 200 rows). Pure. */
export function membersSelectLongText(toRead: readonly Readonly<Record<string, unknown>>[]): boolean {
  return toRead.length <= APART_ROWS || toRead.filter(readsApartFields).length > APART_ROWS;
}

/**
 * The window-members queries of a page whose rows `toRead` are to be read: they bring the kept fields too.
 * Up to `APART_ROWS` rows: one query selects both for them. More: a query of the window's members (no long
 * text, 2,000 a batch) and, for the linked rows only (`readsApartFields`), the kept fields: none when no row
 * is linked (an outbound initial sync's pages: the page's related call stays one Composite call of five
 * queries), one query of both for up to 200, one query per field over the window for more. `plainExtras`:
 * what the members statement also selects when it selects no long text field (`membersSelectLongText`).
 */
export function membersQueries(window: string, toRead: readonly Readonly<Record<string, unknown>>[], plainExtras: readonly string[] = []): Record<string, string> {
  const ids = toRead.map((r) => String(r.Id));
  if (ids.length <= APART_ROWS) return { window: `SELECT Id, SystemModstamp, ${LONG_TEXT_APART.join(', ')} FROM Opportunity WHERE (${window}) AND Id IN ${inList(ids, quoteId)}` };
  const linked = toRead.filter(readsApartFields).map((r) => String(r.Id));
  const members = `SELECT ${['Id', 'SystemModstamp', ...plainExtras].join(', ')} FROM Opportunity WHERE ${window}`;
  if (linked.length === 0) return { window: members };
  if (linked.length <= APART_ROWS) return { window: members, apart: `SELECT Id, ${LONG_TEXT_APART.join(', ')} FROM Opportunity WHERE (${window}) AND Id IN ${inList(linked, quoteId)}` };
  const [first, ...rest] = LONG_TEXT_APART;
  return { window: `SELECT Id, SystemModstamp, ${first} FROM Opportunity WHERE ${window}`, ...Object.fromEntries(rest.map((field, i) => [`apart${i}`, `SELECT Id, ${field} FROM Opportunity WHERE ${window}`])) };
}

/**
 * The rows of `toRead` still in the window, each with the kept fields as the members queries read them. A
 * linked row some kept-field query left out was saved between the members query and that one (it left the
 * window; with more than five queries they are two Composite calls): it is left out too, and comes back,
 * complete, on a later page. Kept with a field missing, a linked deal read its outside team or invitations as
 * emptied under its listed version (test/salesforce/kept-fields-race.test.ts).
 */
export function withApartFields(toRead: readonly SfRecord[], answers: Readonly<Record<string, SfRecord[]>>): SfRecord[] {
  const members = new Map((answers.window ?? []).map((r) => [r.Id, r]));
  const values = keptFieldsById(Object.values(answers));
  const complete = (r: SfRecord) => !readsApartFields(r) || LONG_TEXT_APART.every((field) => field in (values.get(r.Id) ?? {}));
  return toRead.filter((r) => members.has(r.Id) && complete(r)).map((r) => ({ ...r, ...values.get(r.Id) }));
}

/** The kept fields each row of these answers carries, by record ID (a row may be answered by several queries). */
export function keptFieldsById(answers: Iterable<readonly SfRecord[]>): Map<string, Record<string, unknown>> {
  const values = new Map<string, Record<string, unknown>>();
  for (const rows of answers) {
    for (const row of rows) {
      const into = values.get(row.Id) ?? {};
      for (const field of LONG_TEXT_APART) if (field in row) into[field] = row[field];
      values.set(row.Id, into);
    }
  }
  return values;
}

/** Whether `row` holds what `listed` holds, field for field (the same values), but for the kept fields. Pure. */
function sameButKept(row: Readonly<Record<string, unknown>>, listed: Readonly<Record<string, unknown>>): boolean {
  let fields = 0;
  for (const field in row) {
    // The names a version leaves out, as it does (row-version.ts `skip`: exact names).
    if (LONG_TEXT_APART.includes(field)) continue;
    if (!(field in listed) || row[field] !== listed[field]) return false;
    fields += 1;
  }
  for (const field in listed) if (!LONG_TEXT_APART.includes(field)) fields -= 1;
  return fields === 0;
}

/**
 * `versionOf` for the rows `withApartFields` completed from `listed`: a completed row holding its listed row's
 * fields but the kept ones has that row's version (versions leave the kept fields out), which the listing
 * already took, so it is not hashed again (bench/sf-read-assemble.ts). Checked field by field, not assumed.
 */
export function listedVersionOf(listed: readonly SfRecord[], versionOf: (row: SfRecord) => string): (row: SfRecord) => string {
  const byId = new Map(listed.map((r) => [r.Id, r]));
  return (row) => {
    const source = byId.get(row.Id);
    return versionOf(source !== undefined && source !== row && sameButKept(row, source) ? source : row);
  };
}
