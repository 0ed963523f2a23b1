/**
 * Runs several SOQL queries in one Composite call (one API call), following each query's
 * continuation in further Composite calls until every one is done. At most five query subrequests go
 * in one call, Salesforce's limit ("up to 25 subrequests … up to 5 of these subrequests can be sObject
 * Collections or query operations").
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 *
 * A parent-to-child subquery's result can be paged on its own: "Subquery results are like regular query
 * results in that you might need to use queryMore() to retrieve all the records if there are many
 * children" — such a child result comes back with `done: false` and a `nextRecordsUrl` of its own. Those
 * continuations are followed here too, and their rows appended to the child result they continue, so a
 * caller sees every child row in place.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_results.htm
 */
import type { SfRecord } from './assemble.js';
import type { CompositeSubresponse, QueryResult, SalesforceClient } from './client.js';
import { toConnectorError } from './errors.js';

/** Query subrequests per Composite call (Salesforce's limit). */
export const QUERIES_PER_CALL = 5;

/** The error a failed Composite subrequest stands for, mapped like any Salesforce error (errors.ts). */
export function subrequestError(res: CompositeSubresponse): Error {
  const body = (Array.isArray(res.body) ? res.body[0] : res.body) as { errorCode?: string; message?: string } | undefined;
  return toConnectorError(Object.assign(new Error(body?.message ?? `HTTP ${res.httpStatusCode}`), { errorCode: body?.errorCode ?? `ERROR_HTTP_${res.httpStatusCode}` }), `reading ${res.referenceId}`);
}

/** A query result nested in a record: a parent-to-child subquery's rows. */
type ChildResult = QueryResult<SfRecord>;

function isChildResult(value: unknown): value is ChildResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as ChildResult).records) && typeof (value as ChildResult).done === 'boolean';
}

/** The subquery results of `record` that hold only their first batch of rows. */
function unfinishedChildren(record: SfRecord): ChildResult[] {
  const out: ChildResult[] = [];
  for (const value of Object.values(record)) if (isChildResult(value) && !value.done && value.nextRecordsUrl) out.push(value);
  return out;
}

/** A locator's URL as Salesforce hands it out (`/services/data/vXX.X/query/01g…-2000`); a bare locator is put under this API version. */
function moreUrl(base: string, nextRecordsUrl: string): string {
  return nextRecordsUrl.startsWith('/services/data/') ? nextRecordsUrl : `${base}/query/${nextRecordsUrl.split('/').pop()}`;
}

interface Pending {
  referenceId: string;
  url: string;
  /** Where the rows go: the query's own list, or the child result being continued. */
  into: SfRecord[];
  child?: ChildResult;
}

export async function runCompositeQueries(client: SalesforceClient, queries: Readonly<Record<string, string>>): Promise<Record<string, SfRecord[]>> {
  const base = `/services/data/v${client.apiVersion}`;
  const rows: Record<string, SfRecord[]> = Object.fromEntries(Object.keys(queries).map((ref) => [ref, []]));
  const pending: Pending[] = Object.entries(queries).map(([ref, soql]) => ({ referenceId: ref, url: `${base}/query/?q=${encodeURIComponent(soql)}`, into: rows[ref]! }));
  let continuations = 0;
  while (pending.length) {
    const batch = pending.splice(0, QUERIES_PER_CALL);
    const asked = new Map(batch.map((p) => [p.referenceId, p]));
    const responses = await client.composite(batch.map((p) => ({ method: 'GET', url: p.url, referenceId: p.referenceId })), true);
    for (const res of responses) {
      if (res.httpStatusCode !== 200) throw subrequestError(res);
      const request = asked.get(res.referenceId);
      if (!request) continue;
      const page = res.body as QueryResult<SfRecord>;
      request.into.push(...page.records);
      // Reference IDs are unique within a call: each child continuation gets its own.
      for (const record of page.records) for (const child of unfinishedChildren(record)) pending.push({ referenceId: `more${(continuations += 1)}`, url: moreUrl(base, child.nextRecordsUrl!), into: child.records, child });
      if (!page.done && page.nextRecordsUrl) pending.push({ ...request, url: moreUrl(base, page.nextRecordsUrl) });
      else if (request.child) {
        request.child.done = true;
        delete request.child.nextRecordsUrl;
      }
    }
  }
  return rows;
}
