/**
 * How the sandbox cuts query results into pages (batches), as Salesforce documents it:
 * - a page holds at most the batch size asked for (2,000 by default), and "child objects count toward the
 *   number of records for the batch size" (Query Options Header): a page of parents with subquery results
 *   ends early when their child rows would take it past the batch size (at least one parent a page);
 * - "Subquery results are like regular query results in that you might need to use queryMore() to retrieve
 *   all the records if there are many children" (Understanding Query Results): a parent's subquery result
 *   holds its first CHILD_BATCH rows, `done: false`, the full `totalSize` and a `nextRecordsUrl` of its own,
 *   which Query More answers like any locator.
 * - "If the SOQL statement selects two or more custom fields of type long text, the batch size can't be
 *   greater than 200 records" (Change the Batch Size in Queries, which covers "queries made using both REST
 *   API and SOAP API"): such a query's pages, and its Query More pages, hold at most 200 records, child rows
 *   counted as above. The sandbox counts the custom Long Text Areas selected anywhere in the statement,
 *   subqueries and parent paths included (the rule names the statement, not its top-level SELECT).
 * How many child rows come before the child result is paged is not documented; 200 is what clients report
 * seeing (a 257-row child result read back as 199-200 rows before jsforce followed its locator). See README.
 * A locator "and its associated results are available for two days after the initial query executes";
 * after that Query More answers INVALID_QUERY_LOCATOR (Salesforce Help, 'INVALID_QUERY_LOCATOR' Salesforce
 * Error, article 000004410). A child result's locator belongs to the query its parent came from, so it
 * expires with that query, whichever page handed it out.
 * https://help.salesforce.com/s/articleView?id=000004410&type=1
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_results.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_changing_batch_size.htm
 */
import crypto from 'node:crypto';
import { DAY_MS } from '../common/clock.js';
import type { SfContext } from './context.js';
import { SfFault } from './errors.js';
import type { CompiledQuery } from './soql.js';
import type { Rec } from './store.js';

/** Child rows of one subquery in a parent's row before the rest are left behind a locator. */
export const CHILD_BATCH = 200;
/** The most records a batch holds when the statement selects two or more custom long text fields. */
export const LONG_TEXT_BATCH = 200;
/** Open locators kept (oldest dropped first), as Salesforce expires abandoned ones: a page can leave one per large child result. */
const CURSORS_KEPT = 2_000;
/** How long a query's locators last, from the moment the query ran (sandbox clock): see above. */
export const LOCATOR_LIFETIME_MS = 2 * DAY_MS;

interface ChildResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

function childResults(record: Record<string, unknown>): ChildResult[] {
  const out: ChildResult[] = [];
  for (const value of Object.values(record)) if (typeof value === 'object' && value !== null && Array.isArray((value as ChildResult).records)) out.push(value as ChildResult);
  return out;
}

function locator(ctx: SfContext, query: CompiledQuery, pageSize: number, expiresAtMs: number): string {
  const id = `01g${crypto.randomBytes(6).toString('hex')}`;
  ctx.cursors.set(id, { query, pageSize, expiresAtMs });
  if (ctx.cursors.size > CURSORS_KEPT) ctx.cursors.delete(ctx.cursors.keys().next().value!);
  return id;
}

/** The child rows after the first batch stay behind a locator of their own; the result says so. */
function holdBackChildren(ctx: SfContext, version: string, child: ChildResult, expiresAtMs: number): void {
  const rows = child.records as Rec[];
  const type = (rows[0]?.attributes as { type?: string } | undefined)?.type ?? '';
  const def = ctx.store.object(type);
  if (!def) throw new Error(`sandbox: child rows of unknown type ${type}`);
  const id = locator(ctx, { def, count: false, rows, project: (row) => row }, CHILD_BATCH, expiresAtMs);
  child.records = rows.slice(0, CHILD_BATCH);
  child.done = false;
  child.nextRecordsUrl = `/services/data/${version}/query/${id}-${CHILD_BATCH}`;
}

/** The rows of `query` from `offset` on that fit in one page, projected. */
function pageRows(ctx: SfContext, version: string, query: CompiledQuery, offset: number, pageSize: number, expiresAtMs: number): Record<string, unknown>[] {
  if (!query.subqueries) return query.rows.slice(offset, offset + pageSize).map((r) => query.project(r));
  const records: Record<string, unknown>[] = [];
  let size = 0;
  for (let next = offset; next < query.rows.length; next += 1) {
    const record = query.project(query.rows[next]!);
    const children = childResults(record);
    const weight = 1 + children.reduce((n, c) => n + Math.min(c.records.length, CHILD_BATCH), 0);
    if (records.length > 0 && size + weight > pageSize) break;
    for (const child of children) if (child.records.length > CHILD_BATCH) holdBackChildren(ctx, version, child, expiresAtMs);
    records.push(record);
    size += weight;
  }
  return records;
}

/**
 * One page of `query` from `offset`: `{totalSize, done, records}` and, when more follow, `nextRecordsUrl`.
 * `cursor` is the open locator being followed (Query More); without it the query has just run.
 */
export function page(ctx: SfContext, version: string, query: CompiledQuery, offset: number, asked: number, cursor?: { id: string; expiresAtMs: number }): Record<string, unknown> {
  const expiresAtMs = cursor?.expiresAtMs ?? ctx.clock.nowMs() + LOCATOR_LIFETIME_MS;
  const pageSize = (query.longTextFields ?? 0) >= 2 ? Math.min(asked, LONG_TEXT_BATCH) : asked;
  const records = pageRows(ctx, version, query, offset, pageSize, expiresAtMs);
  const next = offset + records.length;
  const done = next >= query.rows.length;
  const body: Record<string, unknown> = { totalSize: query.rows.length, done, records };
  if (!done) body.nextRecordsUrl = `/services/data/${version}/query/${cursor?.id ?? locator(ctx, query, pageSize, expiresAtMs)}-${next}`;
  return body;
}

/** The open locator `id`, or INVALID_QUERY_LOCATOR when it was never handed out, was dropped, or has expired. */
export function openCursor(ctx: SfContext, id: string | undefined): { query: CompiledQuery; pageSize: number; expiresAtMs: number } {
  const cursor = id === undefined ? undefined : ctx.cursors.get(id);
  if (cursor && cursor.expiresAtMs <= ctx.clock.nowMs()) ctx.cursors.delete(id!);
  else if (cursor) return cursor;
  throw new SfFault(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
}
