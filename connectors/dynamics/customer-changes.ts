/**
 * A deal's customer is read from the opportunity's account and contact, but editing only those rows does
 * not change the opportunity, so change tracking on `opportunity` never reports it: an account renamed, or
 * its country set to something Partner Center cannot take, would stay unsynced while the record says
 * *synced*. So after the opportunity feed, each run asks which accounts and contacts changed since the last
 * run (`modifiedon`, the server's time) and reads again the opportunities that use them (IN filter on the
 * lookup), dated by that change, with the run's last page (feed-run.ts). The cursor keeps
 * `customersThrough`, the latest `modifiedon` seen; a run killed before that page is committed asks again
 * from the same point.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import type { BatchGet, GetAnswer } from './batch-reads.js';
import type { FeedDeps } from './change-feed.js';
import { chunks } from '../../core/chunks.js';
import { dateTimeLiteral, IDS_PER_QUERY, inFilter, query } from './queries.js';
import type { RawRow } from './records.js';
import { laterInstant, noteLatestChange } from '../latest-change.js';
import { allRows, allRowsInBatch, FULL_PAGE, type ODataPage } from './pages.js';
import { customerKey, type CustomerReads } from './customer-reads.js';

/** The customer tables and the opportunity lookup that points at each. */
const CUSTOMER_TABLES = [
  { set: 'accounts', name: 'account', key: 'accountid', lookup: '_parentaccountid_value', versionField: 'accountsVersion' },
  { set: 'contacts', name: 'contact', key: 'contactid', lookup: '_parentcontactid_value', versionField: 'contactsVersion' },
] as const;

/** Per customer table, the highest row version already handled (cursor fields `accountsVersion`, `contactsVersion`). */
export type CustomerVersions = Partial<Record<(typeof CUSTOMER_TABLES)[number]['versionField'], number>>;

export function customerVersionsOf(cursor: Readonly<Record<string, unknown>> | undefined): CustomerVersions {
  const out: CustomerVersions = {};
  for (const t of CUSTOMER_TABLES) if (typeof cursor?.[t.versionField] === 'number') out[t.versionField] = cursor[t.versionField] as number;
  return out;
}

const versionOf = (row: RawRow): number | undefined => (row.versionnumber != null && Number.isFinite(Number(row.versionnumber)) ? Number(row.versionnumber) : undefined);

/**
 * Whether the opportunity must be read again for its customer's change: when a committed read of it saw an
 * older version of that customer (customer-reads.ts), or saw none at all, so that the version it last read is
 * unknown. The opportunity's own last change says nothing of what the connector read: its own write (a status,
 * a seller's edit sent on) after the customer changed left the deal unread under *synced* (model-based test,
 * Dynamics 365 seeds 1407, 1505, 1507, 1512). With no read known (a deal the connector created and never read
 * since), the customer row must have changed after the opportunity did: the connector created the deal with
 * the customer as it then was.
 */
function readsAgain(customer: { at: string; version: unknown }, opportunity: { at: string; version: unknown }, readWith: string | undefined): boolean {
  const [mine, seen] = [Number(customer.version), Number(readWith)];
  if (readWith !== undefined && customer.version != null && Number.isFinite(mine) && Number.isFinite(seen)) return mine > seen;
  return changedAfter(customer, opportunity);
}

/**
 * Whether a customer row changed after an opportunity did. `modifiedon` keeps whole seconds, so an account
 * edited in the same second as its opportunity's last change (just before the connector wrote the status of
 * a deal sharing the account) looked no later, and the edit never reached that deal's referral (found by the
 * model-based test). `versionnumber` (the row version, one counter for the whole database, so comparable
 * across tables — UNVERIFIED in Microsoft's documentation, which calls it the row's version number) orders
 * the two exactly; the stamps are the fallback when a row has none.
 */
function changedAfter(customer: { at: string; version: unknown }, opportunity: { at: string; version: unknown }): boolean {
  const [mine, theirs] = [Number(customer.version), Number(opportunity.version)];
  if (customer.version != null && opportunity.version != null && Number.isFinite(mine) && Number.isFinite(theirs)) return mine > theirs;
  return Date.parse(customer.at) > Date.parse(opportunity.at);
}

/** The two queries for accounts and contacts changed since `since`, for the run's first `$batch`. */
export function customerRequests(since: string): BatchGet[] {
  return CUSTOMER_TABLES.map((table) => ({
    url: query(table.set, { $select: `${table.key},modifiedon,versionnumber`, $filter: `modifiedon ge ${dateTimeLiteral(since)}` }),
    prefer: FULL_PAGE,
  }));
}

/**
 * Opportunity ID → the latest change of its account or contact since `since`; that latest change; and the
 * highest row version seen per table. `firstPages` are the answers to {@link customerRequests}, fetched with
 * the run's other feed requests. The query asks `modifiedon ge` (whole seconds: a row saved in the same
 * second as the last run's newest one must not be missed), so it lists the last run's newest rows again;
 * those whose version is not above `handled` were dealt with then and cost nothing more, so that an idle run
 * makes no opportunity look-up (issue 13).
 *
 * The look-ups of the opportunities using the changed rows (an IN query per 250 rows, both tables) go in one
 * `$batch` of GETs: the run after one that created many customers (an initial sync from Partner Center
 * creates an account a deal) lists every one of them, and asked one GET each, those look-ups cost a call per
 * 250 accounts or contacts (12 calls at 3,000 deals, 200 at 50,000), for nothing once per install.
 */
export async function customerChangesSince(
  deps: Pick<FeedDeps, 'client'>, since: string, firstPages: readonly GetAnswer<unknown>[], handled: CustomerVersions = {}, reads?: CustomerReads,
): Promise<{ changed: Map<string, string>; through: string; versions: CustomerVersions }> {
  let through = since;
  const versions: CustomerVersions = { ...handled };
  const lookups: { table: (typeof CUSTOMER_TABLES)[number]; changes: ChangedRows; url: string }[] = [];
  for (const [index, table] of CUSTOMER_TABLES.entries()) {
    const answer = firstPages[index]!;
    if (!answer.ok) throw answer.error;
    const listed = await allRows(deps.client, `reading changed ${table.set}`, answer.body as ODataPage<RawRow>);
    const mark = handled[table.versionField];
    const rows = listed.filter((r) => mark === undefined || versionOf(r) === undefined || versionOf(r)! > mark);
    for (const r of rows) if ((versionOf(r) ?? -1) > (versions[table.versionField] ?? -1)) versions[table.versionField] = versionOf(r)!;
    const changes: ChangedRows = {
      stamps: new Map(rows.map((r) => [String(r[table.key]).toLowerCase(), new Date(String(r.modifiedon)).toISOString()])),
      versions: new Map(rows.map((r) => [String(r[table.key]).toLowerCase(), r.versionnumber])),
    };
    for (const at of changes.stamps.values()) through = laterInstant(through, at) ?? through;
    for (const ids of chunks([...changes.stamps.keys()], IDS_PER_QUERY)) {
      lookups.push({ table, changes, url: query('opportunities', { $select: `opportunityid,modifiedon,versionnumber,${table.lookup}`, $filter: inFilter(table.lookup, ids) }) });
    }
  }
  const answers = await allRowsInBatch<RawRow>(deps.client, 'reading the opportunities of changed accounts and contacts', lookups.map((l) => l.url));
  const changed = new Map<string, string>();
  for (const [i, { table, changes }] of lookups.entries()) await noteUsers(changed, table, changes, answers[i]!, reads);
  return { changed, through, versions };
}

/** A customer table's changed rows: ID → `modifiedon`, and ID → row version. */
type ChangedRows = { stamps: Map<string, string>; versions: Map<string, unknown> };

/** Notes in `changed` each of `users` (opportunities using a changed row of `table`) that must be read again. */
async function noteUsers(changed: Map<string, string>, table: (typeof CUSTOMER_TABLES)[number], changes: ChangedRows, users: readonly RawRow[], reads: CustomerReads | undefined): Promise<void> {
  const readWith = (await reads?.known(users.map((o) => customerKey(String(o.opportunityid), table.name)))) ?? new Map<string, string>();
  for (const o of users) {
    const customer = String(o[table.lookup]).toLowerCase();
    const at = changes.stamps.get(customer);
    const id = String(o.opportunityid).toLowerCase();
    if (!at || !readsAgain({ at, version: changes.versions.get(customer) }, { at: String(o.modifiedon), version: o.versionnumber }, readWith.get(customerKey(id, table.name)))) continue;
    noteLatestChange(changed, id, at);
  }
}
