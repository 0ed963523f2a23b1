/**
 * The folded listing's related rows, read by the related-change queries of the run's first call (issue 13).
 * The folded listing (folded-listing.ts) reads the engine's records and the window's rows complete in the
 * listing's query. With its related rows as subqueries it came 200 records a batch, child rows counted (it
 * selects custom long text fields: "the batch size can't be greater than 200 records", Change the Batch Size
 * in Queries), so 100 deals with three related rows each were two batches, and the second a call of its own
 * (a 1% cycle at 5,000 deals: 4 CRM calls for a minimum of 3). The first call has no query operation to spare
 * (five a Composite call: the listing and the four related-change queries), but those four queries read the
 * same objects with the same fields: each also names the folded deals' rows, as
 *
 *   … WHERE (<the change condition>) OR <parent> IN (<the engine's IDs>)
 *         OR (<parent>.SystemModstamp >= <the window's start> AND (<parent>.LastModifiedById != <us> OR …))
 *
 * a literal list and parent-relationship filters, no semi-join (SOQL allows no semi-join under an OR). Each
 * comes 2,000 rows a batch (one custom long text field at most: the invitation's notes), and the listing's
 * query selects the deals alone, 200 a batch.
 * A row is a related change only when the change condition holds for it (`isRelatedChange`, the same test as
 * the SOQL): a row here only for its deal is not one. A deal is read complete from these rows only when the
 * query's condition covers it for sure: asked by ID, or listed by the window (folded-listing.ts `listedByWindow`
 * implies the parent condition); a row listed only for its account is read by ID as before.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_changing_batch_size.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_and_custom_objects.htm
 */
import { SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import type { SfRecord } from './assemble.js';
import type { RelatedRows } from './deals-by-id.js';
import { datetimeLiteral, inList, quoteId } from './soql.js';

/** The related-change query kinds (related-changes.ts `RelatedQueryKind`). */
export type FoldKind = keyof RelatedRows;

/** Who saved a row last: selected only to tell a change from a row read for its deal (taken off after). */
export const SAVED_BY = 'LastModifiedById';

/** Each kind's lookup to its opportunity, and that lookup's relationship name for a parent filter. */
const PARENT: Readonly<Record<FoldKind, { field: string; relationship: string }>> = {
  contactRoles: { field: 'OpportunityId', relationship: 'Opportunity' },
  team: { field: 'OpportunityId', relationship: 'Opportunity' },
  solutions: { field: SOLUTION_PARENT_FIELD, relationship: SOLUTION_PARENT_FIELD.replace(/__c$/, '__r') },
  invitations: { field: SOLUTION_PARENT_FIELD, relationship: SOLUTION_PARENT_FIELD.replace(/__c$/, '__r') },
};

/** What the related-change queries also read: the rows of these deals, and of the window's opportunities. */
export interface RelatedFold {
  ids: readonly string[];
  /** The listing window's start (inclusive: a keyset start reads a few rows more, never fewer). */
  since: string;
  /** The window's own-writes condition, as values (feed-window.ts `FeedWindow.own`). */
  own?: { userId: string; ownThrough: string; recheck: readonly string[] };
}

/** The change condition of the related queries, as values (related-changes.ts `relatedChangeQueries`). */
export interface ChangeTest {
  since: string;
  /** The connector's own saves before `ownThrough` are not changes (feed-window.ts `FeedWindow.related`). */
  own?: { userId: string; ownThrough: string };
}

/** The parent's ID of a related row. */
export const parentOf = (kind: FoldKind, row: Readonly<SfRecord>): unknown => row[PARENT[kind].field];

/** The condition OR-ed to a related-change query so that it also reads the folded deals' rows. Pure. */
export function foldCondition(kind: FoldKind, fold: RelatedFold): string {
  const { field, relationship } = PARENT[kind];
  const ids = fold.ids.length ? [`${field} IN ${inList(fold.ids, quoteId)}`] : [];
  const own = fold.own;
  const narrow = own
    ? ` AND (${[`${relationship}.LastModifiedById != ${quoteId(own.userId)}`, `${relationship}.SystemModstamp >= ${datetimeLiteral(own.ownThrough)}`, ...(own.recheck.length ? [`${field} IN ${inList(own.recheck, quoteId)}`] : [])].join(' OR ')})`
    : '';
  return [...ids, `(${relationship}.SystemModstamp >= ${datetimeLiteral(fold.since)}${narrow})`].join(' OR ');
}

const at = (value: unknown) => Date.parse(sfDatetimeToIso(value) ?? '');
const sameId = (a: unknown, b: string) => typeof a === 'string' && a.slice(0, 15) === b.slice(0, 15);
/** The parent asked by its own stamp in a kind's change condition (related-changes.ts): the role's contact, the member's user. */
const STAMPED_PARENT: Readonly<Partial<Record<FoldKind, string>>> = { contactRoles: 'Contact', team: 'User' };
/** The stamp of the parent a kind's change condition also asks by (`STAMPED_PARENT`), as `row` carries it; undefined for other kinds. */
export const stampedParentStamp = (kind: FoldKind, row: Readonly<SfRecord>): unknown => {
  const parent = STAMPED_PARENT[kind];
  return parent ? (row[parent] as { SystemModstamp?: unknown } | null | undefined)?.SystemModstamp : undefined;
};

/** Whether the change condition holds for `row`, as the query's SOQL says (related-changes.ts). Pure. */
export function isRelatedChange(kind: FoldKind, row: Readonly<SfRecord>, test: ChangeTest): boolean {
  const since = Date.parse(test.since);
  const stamp = at(row.SystemModstamp);
  const own = test.own;
  const changed = stamp >= since && (!own || !sameId(row[SAVED_BY], own.userId) || stamp >= Date.parse(own.ownThrough));
  // The contact and the user are asked by their own stamps, not narrowed (related-changes.ts).
  return changed || at(stampedParentStamp(kind, row)) >= since;
}

/** The contact role subquery of a read by ID reads the primary role only (deals-by-id.ts). */
const inSubquery = (kind: FoldKind, row: Readonly<SfRecord>) => row.IsDeleted !== true && (kind !== 'contactRoles' || row.IsPrimary === true);

/**
 * A related-change row as the read by ID's subquery gives it: live rows only (QueryAll lists deleted ones),
 * the primary contact role only, without the fields only the change test reads. Undefined when not such a row.
 */
export function asSubqueryRow(kind: FoldKind, row: Readonly<SfRecord>): SfRecord | undefined {
  if (!inSubquery(kind, row)) return undefined;
  const out = {} as SfRecord;
  for (const [name, value] of Object.entries(row)) {
    if (name === 'SystemModstamp' || name === 'IsDeleted' || name === SAVED_BY) continue;
    if (name === STAMPED_PARENT[kind] && value && typeof value === 'object') {
      const { SystemModstamp: _stamp, ...parent } = value as Record<string, unknown>;
      out[name] = parent;
    } else out[name] = value;
  }
  return out;
}

/** The subqueries' order (deals-by-id.ts: team, solutions and invitations by Id), so that a deal reads the same either way. */
export function inSubqueryOrder(rows: RelatedRows): RelatedRows {
  const byId = (a: SfRecord, b: SfRecord) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0);
  return { contactRoles: rows.contactRoles, team: [...rows.team].sort(byId), solutions: [...rows.solutions].sort(byId), invitations: [...rows.invitations].sort(byId) };
}
