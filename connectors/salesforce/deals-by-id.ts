/**
 * Reading opportunities by ID with their related rows, one Composite call per `IDS_PER_CALL` IDs, or for all
 * of up to `IDS_IN_ONE_READ` (`byIdQueries`): two deal queries that select the opportunity fields and, as parent-to-child subqueries,
 * the primary contact role, the team members and the solutions; the partner invitation rows; and each
 * connector-kept long text field in a query of its own. No statement selects two custom long text fields:
 * "if the SOQL statement selects two or more custom fields of type long text, the batch size can't be greater
 * than 200 records", child rows counted, and a statement with every field and subquery came 200 records a
 * batch (five calls per 1,000 IDs with three related rows each, 2026-12-07).
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_changing_batch_size.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm
 *
 * Why 400 IDs a deal query (`IDS_PER_CALL` ÷ 2) and not more: "Child objects count toward the number of
 * records for the batch size" (Query Options Header; 2,000 at most), so 400 deals with four related rows
 * each fill one batch; a larger query would come back in several batches, each one more subrequest.
 * `IDS_PER_QUERY` (200) stays the size of a statement selecting every field (`byIdsWithRelatedQuery`). The
 * kept-field and invitation queries name all of a call's IDs (1,000 at most: about 22,000 characters). Statements stay far below
 * SOQL's 100,000 characters; the 16,384-byte URI limit is the HTTP request's, and a Composite subrequest's
 * `url` travels in the body (Salesforce's own advice against 431 errors is to move the query there).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm
 */
import { chunks } from '../../core/chunks.js';
import type { SfRecord } from './assemble.js';
import type { SalesforceClient } from './client.js';
import { QUERIES_PER_CALL } from './composite-limits.js';
import { runCompositeQueries, type ChildRowsQuery } from './composite-queries.js';
import { INVITATION_OBJECT, INVITATION_RELATIONSHIP, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD, SOLUTION_RELATIONSHIP } from '../../mappings/custom-fields.salesforce.js';
import { CONTACT_ROLE_FIELDS, INVITATION_QUERY_FIELDS, inList, quoteId, SOLUTION_QUERY_FIELDS, TEAM_FIELDS } from './soql.js';
import { keptFieldsById, LONG_TEXT_APART, listingFields } from './long-text-apart.js';

/** IDs per query: see above. */
export const IDS_PER_QUERY = 200;

/** An opportunity's related rows, each list across many opportunities (each row names its parent). */
export interface RelatedRows {
  contactRoles: SfRecord[];
  team: SfRecord[];
  solutions: SfRecord[];
  invitations: SfRecord[];
}

/**
 * Each kind of related row as a subquery: Opportunity's child relationship (the standard objects' plural
 * names; the custom objects' `relationshipName` from custom-fields.ts with `__r`), and the same fields,
 * filter and order as the related-row queries of a page (soql.ts `relatedQueries`), the parent's lookup
 * included so that a row read here and one read there are the same row. `object` and `parentField` name
 * the child object and its lookup, for reading one parent's rows again with a plain query (`childRowsQuery`).
 */
const SUBQUERIES: Readonly<Record<keyof RelatedRows, { relationship: string; object: string; parentField: string; fields: readonly string[]; where?: string; orderBy?: string }>> = {
  contactRoles: { relationship: 'OpportunityContactRoles', object: 'OpportunityContactRole', parentField: 'OpportunityId', fields: CONTACT_ROLE_FIELDS, where: 'IsPrimary = true' },
  team: { relationship: 'OpportunityTeamMembers', object: 'OpportunityTeamMember', parentField: 'OpportunityId', fields: TEAM_FIELDS, orderBy: 'Id ASC' },
  solutions: { relationship: `${SOLUTION_RELATIONSHIP}__r`, object: SOLUTION_OBJECT, parentField: SOLUTION_PARENT_FIELD, fields: SOLUTION_QUERY_FIELDS, orderBy: 'Id ASC' },
  invitations: { relationship: `${INVITATION_RELATIONSHIP}__r`, object: INVITATION_OBJECT, parentField: SOLUTION_PARENT_FIELD, fields: INVITATION_QUERY_FIELDS, orderBy: 'Id ASC' },
};

const KINDS = Object.keys(SUBQUERIES) as (keyof RelatedRows)[];
const RELATIONSHIP_KIND = new Map(KINDS.map((kind) => [SUBQUERIES[kind].relationship, kind]));

/**
 * One opportunity's rows of one child relationship, selected as its subquery selects them, as a plain query
 * (paged like any query): how a child result whose locator expired is read again (composite-queries.ts).
 */
export const childRowsQuery: ChildRowsQuery = (parent, relationship) => {
  const kind = RELATIONSHIP_KIND.get(relationship);
  return kind ? selectOf(SUBQUERIES[kind], SUBQUERIES[kind].object, `${SUBQUERIES[kind].parentField} = ${quoteId(parent.Id)}`) : undefined;
};

/** One kind's rows as its subquery selects them, from `from` (the relationship, or the child object with `parent`'s condition). */
function selectOf(q: (typeof SUBQUERIES)[keyof RelatedRows], from: string, parent?: string): string {
  const where = [parent, q.where].filter(Boolean).join(' AND ');
  return `SELECT ${q.fields.join(', ')} FROM ${from}${where ? ` WHERE ${where}` : ''}${q.orderBy ? ` ORDER BY ${q.orderBy}` : ''}`;
}

/** Each kind of related row as a parent-to-child subquery of an opportunity query, for its select list. */
export function relatedSubqueries(): string[] {
  return KINDS.map((kind) => `(${selectOf(SUBQUERIES[kind], SUBQUERIES[kind].relationship)})`);
}

/** The partner invitations as a subquery of an opportunity statement (a page's members statement: page-related.ts). */
export function invitationsSubquery(): string {
  return `(${selectOf(SUBQUERIES.invitations, SUBQUERIES.invitations.relationship)})`;
}

/** The opportunities with these IDs, each with its related rows as subquery results. */
export function byIdsWithRelatedQuery(fields: readonly string[], ids: readonly string[]): string {
  return `SELECT ${[...fields, ...relatedSubqueries()].join(', ')} FROM Opportunity WHERE Id IN ${inList(ids, quoteId)}`;
}

/**
 * Opportunity rows as a plain query returns them (the subquery results taken off, so that their version,
 * a hash of every field, is the listing's), and their related rows flattened into one list per kind, in
 * opportunity order. A subquery with no rows is `null` in Salesforce's answer. `leaveOut`: a field selected
 * only to tell rows apart (folded-listing.ts), left out of the opportunity so that its version is the usual one.
 */
export function splitRelated(records: readonly SfRecord[], leaveOut?: string): { opportunities: SfRecord[]; related: RelatedRows } {
  const related: RelatedRows = { contactRoles: [], team: [], solutions: [], invitations: [] };
  // Loops, not `map` with an arrow: a closure made per call loses its optimized code at each full GC, and the
  // engine's 1% cycle compiled it again every cycle (bench/README.md, "Engine CPU per changed record").
  const opportunities: SfRecord[] = [];
  for (const record of records) {
    // Copied field by field rather than copied whole and `delete`d from: V8 keeps such an object fast.
    const opportunity = {} as SfRecord;
    for (const [name, value] of Object.entries(record)) {
      const kind = RELATIONSHIP_KIND.get(name);
      if (name === leaveOut) continue;
      if (!kind) opportunity[name] = value;
      else if ((value as { records?: SfRecord[] } | null)?.records) related[kind].push(...(value as { records: SfRecord[] }).records);
    }
    opportunities.push(opportunity);
  }
  return { opportunities, related };
}

/** Queries of a read by ID that each carry one custom long text field apart from the deals' own query (below). */
const APART_QUERIES = LONG_TEXT_APART.length + 1;
/** Deal queries in a call: the rest of the five query operations a Composite call holds. */
const DEAL_QUERIES_PER_CALL = QUERIES_PER_CALL - APART_QUERIES;
/** IDs a call reads: each deal query's 400 deals with up to four related rows each fill one 2,000-record batch. */
export const IDS_PER_CALL = DEAL_QUERIES_PER_CALL * 2 * IDS_PER_QUERY;

/**
 * A read by ID's queries, so that none selects two custom long text fields ("the batch size can't be greater
 * than 200 records", child rows counted: 200 IDs with four related rows each took five batches, five calls
 * per 1,000 IDs): the deals with the seller's notes and their contact role, team and solutions as subqueries
 * (one long text field: 2,000 records a batch), the invitation rows with their notes, and each connector-kept
 * long text field (long-text-apart.ts) in a query of its own. Five query operations: one Composite call.
 */
export function byIdQueries(fields: readonly string[], ids: readonly string[]): Record<string, string> {
  const subqueries = KINDS.filter((kind) => kind !== 'invitations').map((kind) => `(${selectOf(SUBQUERIES[kind], SUBQUERIES[kind].relationship)})`);
  const own = inList(ids, quoteId);
  const deals = chunks(ids, Math.ceil(ids.length / DEAL_QUERIES_PER_CALL)).map((chunk, i) => [`deals${i}`, `SELECT ${[...listingFields(fields), ...subqueries].join(', ')} FROM Opportunity WHERE Id IN ${inList(chunk, quoteId)}`]);
  const apart = LONG_TEXT_APART.filter((field) => fields.some((f) => f.toLowerCase() === field.toLowerCase())).map((field, i) => [`apart${i}`, `SELECT Id, ${field} FROM Opportunity WHERE Id IN ${own}`]);
  return { ...Object.fromEntries(deals), invitations: selectOf(SUBQUERIES.invitations, SUBQUERIES.invitations.object, `${SUBQUERIES.invitations.parentField} IN ${own}`), ...Object.fromEntries(apart) };
}

/** The answers of `byIdQueries` as `splitRelated` gives a read with every subquery: the kept fields put back on each deal. */
export function byIdAnswers(rows: Readonly<Record<string, SfRecord[]>>): { opportunities: SfRecord[]; related: RelatedRows } {
  const kept = keptFieldsById(Object.entries(rows).flatMap(([ref, answer]) => (ref.startsWith('apart') ? [answer] : [])));
  const dealRows = Object.entries(rows).flatMap(([ref, answer]) => (ref.startsWith('deals') ? answer : []));
  const { opportunities, related } = splitRelated(dealRows.map((row) => ({ ...row, ...kept.get(row.Id) })));
  related.invitations = rows.invitations ?? [];
  return { opportunities, related };
}

/**
 * The most IDs read as one call's queries (two deal queries of 500). A deal with its usual one primary contact
 * role, team member and solution is four records: 500 fill a deal query's 2,000-record batch. Deals with more
 * related rows come back in more batches, whose Query More requests (both deal queries' in one call) cost a
 * second call: what two calls of 800 and 200 IDs cost anyway, so a read of 801 to 1,000 IDs never costs more
 * this way, and with four records a deal it costs one call, not two (a 1% cycle at 50,000 deals reads its 500
 * Partner Center changes and 500 seller edits together: 1,000 IDs). Past 1,000, `IDS_PER_CALL` a call, which
 * holds four related rows a deal in one batch.
 */
export const IDS_IN_ONE_READ = 1_000;

/**
 * The opportunities with these IDs (already checked, each once) and their related rows, a Composite
 * call's worth (`IDS_PER_CALL`, or all of up to `IDS_IN_ONE_READ`) at a time, so that what is held at once
 * stays bounded however many IDs are read.
 */
export async function* readByIds(client: SalesforceClient, fields: readonly string[], ids: readonly string[]): AsyncGenerator<{ opportunities: SfRecord[]; related: RelatedRows }> {
  const perCall = ids.length <= IDS_IN_ONE_READ ? Math.max(1, ids.length) : IDS_PER_CALL;
  for (const call of chunks(ids, perCall)) yield byIdAnswers(await runCompositeQueries(client, byIdQueries(fields, call), childRowsQuery));
}
