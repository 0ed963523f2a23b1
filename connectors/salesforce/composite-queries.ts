/**
 * Runs several SOQL queries in one Composite call (one API call), following each query's
 * continuation in further Composite calls until every one is done. At most five query subrequests go
 * in one call, Salesforce's limit (composite-limits.ts; a Query More counts as one).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 *
 * A parent-to-child subquery's result can be paged on its own: "Subquery results are like regular query
 * results in that you might need to use queryMore() to retrieve all the records if there are many
 * children" — such a child result comes back with `done: false` and a `nextRecordsUrl` of its own. Those
 * continuations are followed here too, and their rows appended to the child result they continue, so a
 * caller sees every child row in place.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_results.htm
 *
 * A locator can expire before it is followed ("available for two days after the initial query executes";
 * Query More then answers INVALID_QUERY_LOCATOR), and older SOAP guides add that a parent's queryMore
 * invalidates its child cursors. Neither fails the read: an expired child locator is replaced by a plain
 * query for that parent's rows of that relationship (`childRows`), read from its start and paged like any
 * query; an expired locator of a query itself starts that query again, its rows read so far dropped.
 * Each is tried again at most twice, then the error is passed on.
 * https://help.salesforce.com/s/articleView?id=000004410&type=1
 */
import type { SfRecord } from './assemble.js';
import type { CompositeSubresponse, QueryResult, SalesforceClient } from './client.js';
import { EXPIRED_LOCATOR, toConnectorError } from './errors.js';
import { QUERIES_PER_CALL } from './composite-limits.js';


/** The error a failed Composite subrequest stands for, mapped like any Salesforce error (errors.ts). */
export function subrequestError(res: CompositeSubresponse): Error {
  const body = (Array.isArray(res.body) ? res.body[0] : res.body) as { errorCode?: string; message?: string } | undefined;
  return toConnectorError(Object.assign(new Error(body?.message ?? `HTTP ${res.httpStatusCode}`), { errorCode: body?.errorCode ?? `ERROR_HTTP_${res.httpStatusCode}` }), `reading ${res.referenceId}`);
}

/** A query result nested in a record: a parent-to-child subquery's rows. */
type ChildResult = QueryResult<SfRecord>;

/**
 * The plain SOQL query that reads `parent`'s rows of the child `relationship` as its subquery selected them,
 * or undefined when the caller has none (the expired locator's error is then passed on).
 */
export type ChildRowsQuery = (parent: SfRecord, relationship: string) => string | undefined;

/** Times a query, or a child result, is started again after its locator expired. */
const RESTARTS = 2;

function isChildResult(value: unknown): value is ChildResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as ChildResult).records) && typeof (value as ChildResult).done === 'boolean';
}

/** The subquery results of `record` that hold only their first batch of rows, by relationship name. */
function unfinishedChildren(record: SfRecord): [string, ChildResult][] {
  const out: [string, ChildResult][] = [];
  for (const [name, value] of Object.entries(record)) if (isChildResult(value) && !value.done && value.nextRecordsUrl) out.push([name, value]);
  return out;
}

/** A locator's URL as Salesforce hands it out (`/services/data/vXX.X/query/01g…-2000`); a bare locator is put under this API version. */
export function moreUrl(base: string, nextRecordsUrl: string): string {
  return nextRecordsUrl.startsWith('/services/data/') ? nextRecordsUrl : `${base}/query/${nextRecordsUrl.split('/').pop()}`;
}

/** A query subrequest's url: the statement in the url, which a Composite call carries in its body. */
export const queryUrl = (base: string, soql: string) => `${base}/query/?q=${encodeURIComponent(soql)}`;

/** A query subrequest's answer, or the error it stands for (missing: the call left it unanswered). */
export function queryAnswer(res: CompositeSubresponse | undefined, referenceId: string): QueryResult<SfRecord> {
  if (!res) throw new Error(`Salesforce left the subrequest ${referenceId} unanswered`);
  if (res.httpStatusCode !== 200) throw subrequestError(res);
  return res.body as QueryResult<SfRecord>;
}

function expiredLocator(res: CompositeSubresponse): boolean {
  const body = (Array.isArray(res.body) ? res.body[0] : res.body) as { errorCode?: string } | undefined;
  return res.httpStatusCode === 400 && body?.errorCode === EXPIRED_LOCATOR;
}

/** One of the caller's queries; `attempt` counts its starts, so that requests of an abandoned start are dropped. */
interface Run {
  soql: string;
  rows: SfRecord[];
  attempt: number;
}

/** A child result being followed: whose, under which relationship, and how often it was read again. */
interface ChildRead {
  result: ChildResult;
  parent: SfRecord;
  relationship: string;
  restarts: number;
}

interface Pending {
  referenceId: string;
  url: string;
  run: Run;
  /** The run's start this request belongs to. */
  attempt: number;
  /** Where the rows go: the query's own list, or the child result being continued. */
  into: SfRecord[];
  child?: ChildRead;
}

/** The request that starts again after an expired locator, or undefined when that is not possible (any more). */
function restart(request: Pending, childRows: ChildRowsQuery | undefined, base: string): Pending | undefined {
  const child = request.child;
  if (child) {
    const soql = child.restarts < RESTARTS ? childRows?.(child.parent, child.relationship) : undefined;
    if (!soql) return undefined;
    // Read from the start: the rows read through the expired locator go, so none comes twice.
    child.result.records.length = 0;
    return { ...request, url: queryUrl(base, soql), child: { ...child, restarts: child.restarts + 1 } };
  }
  const run = request.run;
  if (run.attempt >= RESTARTS) return undefined;
  run.attempt += 1;
  run.rows.length = 0;
  return { ...request, url: queryUrl(base, run.soql), attempt: run.attempt };
}

/**
 * `queries` by reference ID, each read to its end with its child results. `answered`: first answers already
 * in hand (a query asked in another call), only continued here.
 */
export async function runCompositeQueries(client: SalesforceClient, queries: Readonly<Record<string, string>>, childRows?: ChildRowsQuery, answered: Readonly<Record<string, QueryResult<SfRecord>>> = {}): Promise<Record<string, SfRecord[]>> {
  const base = client.dataPath();
  const runs = Object.entries(queries).map(([ref, soql]) => [ref, { soql, rows: [], attempt: 0 } as Run] as const);
  let pending: Pending[] = [];
  let continuations = 0;
  /** A page of `request`'s answer: its rows kept, its continuations and its unfinished child results queued. */
  const accept = (request: Pending, page: QueryResult<SfRecord>) => {
    request.into.push(...page.records);
    // Reference IDs are unique within a call: each child continuation gets its own.
    for (const record of page.records) {
      for (const [relationship, result] of unfinishedChildren(record)) {
        const child: ChildRead = { result, parent: record, relationship, restarts: 0 };
        pending.push({ referenceId: `more${(continuations += 1)}`, url: moreUrl(base, result.nextRecordsUrl!), run: request.run, attempt: request.attempt, into: result.records, child });
      }
    }
    if (!page.done && page.nextRecordsUrl) pending.push({ ...request, url: moreUrl(base, page.nextRecordsUrl) });
    else if (request.child) {
      request.child.result.done = true;
      delete request.child.result.nextRecordsUrl;
    }
  };
  for (const [ref, run] of runs) {
    const request: Pending = { referenceId: ref, url: queryUrl(base, run.soql), run, attempt: 0, into: run.rows };
    const first = answered[ref];
    if (first) accept(request, first);
    else pending.push(request);
  }
  while (pending.length) {
    // Requests of a query that has started again since they were queued read rows no one keeps.
    pending = pending.filter((p) => p.attempt === p.run.attempt);
    const batch = pending.splice(0, QUERIES_PER_CALL);
    if (batch.length === 0) break;
    const asked = new Map(batch.map((p) => [p.referenceId, p]));
    const responses = await client.composite(batch.map((p) => ({ method: 'GET', url: p.url, referenceId: p.referenceId })), true);
    for (const res of responses) {
      const request = asked.get(res.referenceId);
      if (request && request.attempt !== request.run.attempt) continue;
      if (res.httpStatusCode !== 200) {
        const again = request && expiredLocator(res) ? restart(request, childRows, base) : undefined;
        if (!again) throw subrequestError(res);
        pending.push(again);
        continue;
      }
      if (request) accept(request, res.body as QueryResult<SfRecord>);
    }
  }
  return Object.fromEntries(runs.map(([ref, run]) => [ref, run.rows]));
}
