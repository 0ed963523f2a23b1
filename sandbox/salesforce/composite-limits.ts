/**
 * What Salesforce refuses in a Composite request before it runs any subrequest: "up to 25 subrequests in a
 * single call. Up to 5 of these subrequests can be sObject Collections or query operations, including Query
 * and QueryAll requests"; the API 210.0 guide also names the "Query More" request for a query's next batch
 * among the query operations.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 * https://developer.salesforce.com/docs/atlas.ja-jp.210.0.api_rest.meta/api_rest/resources_composite_composite.htm
 *
 * The refusal is one entry in `compositeResponse`, with no reference ID, in the shape seen from Salesforce for
 * the 25-subrequest limit: `{"compositeResponse":[{"body":[{"errorCode":"LIMIT_EXCEEDED","message":"The
 * request can’t contain more than 25 operations."}],"httpHeaders":{},"httpStatusCode":400,"referenceId":null}]}`
 * (guardian/support-service-lambdas#766). UNVERIFIED: the message Salesforce gives for the five-operation
 * limit (no example found; this one follows the 25's wording), and the outer HTTP status of either refusal
 * (the report quotes only the body; the sandbox answers 200, as for any Composite response).
 * The sandbox's own rule, not the connector's (connectors/salesforce/composite-limits.ts): a mistake there
 * must not hide here.
 */

export const MAX_SUBREQUESTS = 25;
export const MAX_QUERIES_AND_COLLECTIONS = 5;

/** Query, QueryAll and Query More (`/query/<locator>`); sObject Collections (`/composite/sobjects…`). */
const LIMITED = /^\/services\/data\/v[\d.]+\/(?:query|queryAll)(?:\/|$)|^\/services\/data\/v[\d.]+\/composite\/sobjects(?:\/|$)/;
/**
 * A url that is a reference to an earlier answer's `nextRecordsUrl` (`@{more0.nextRecordsUrl}`, or a child
 * result's, `@{q.records[0].Children.nextRecordsUrl}`): a Query More whatever it resolves to, so it counts
 * before anything runs. Judged by its path alone it counted as nothing, and a call of six chained Query More ran.
 */
const QUERY_MORE_REFERENCE = /^@\{[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+|\[\d+\])*\.nextRecordsUrl\}$/;

/** Whether a subrequest's url is a query operation or an sObject Collections request. Pure. */
export function isQueryOrCollection(url: string): boolean {
  return QUERY_MORE_REFERENCE.test(url.trim()) || LIMITED.test(new URL(url, 'http://sandbox.local').pathname);
}

/** The refusal's message for a request over a limit, or undefined when the request is within both. Pure. */
export function compositeLimitRefusal(urls: readonly string[]): string | undefined {
  if (urls.length > MAX_SUBREQUESTS) return `The request can’t contain more than ${MAX_SUBREQUESTS} operations.`;
  const limited = urls.filter(isQueryOrCollection).length;
  if (limited > MAX_QUERIES_AND_COLLECTIONS) return `The request can’t contain more than ${MAX_QUERIES_AND_COLLECTIONS} sObject Collections or query operations.`;
  return undefined;
}

/** The whole answer to a refused request: one entry, no reference ID. */
export function refusalBody(message: string): string {
  return JSON.stringify({ compositeResponse: [{ body: [{ errorCode: 'LIMIT_EXCEEDED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId: null }] });
}
