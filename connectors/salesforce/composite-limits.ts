/**
 * Salesforce's limits on one Composite call, for every builder of one (first-round.ts, composite-queries.ts,
 * checked-patches.ts) and the client's check before it sends (client.ts): "up to 25 subrequests in a single call.
 * Up to 5 of these subrequests can be sObject Collections or query operations, including Query and QueryAll
 * requests"; the API 210.0 guide counts the "Query More" request for a query's next batch among them. A call
 * over either is refused whole (sandbox/salesforce/composite-limits.ts). Until 2026-12-07 the first call of
 * every resumed run carried six query operations: the sandbox checked only the 25.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */

/** Subrequests per Composite call. */
export const SUBREQUESTS_PER_CALL = 25;

/** Query operations (Query, QueryAll, Query More) and sObject Collections requests together, per Composite call. */
export const QUERIES_PER_CALL = 5;

/** A query operation or an sObject Collections request, by its URL (`/services/data/vXX.X/query/?q=…`, `…/query/01g…-2000`, `@{ref.nextRecordsUrl}`). */
const LIMITED = /^\/services\/data\/v[\d.]+\/(?:query|queryAll|composite\/sobjects)(?:[/?]|$)/;

/** A reference to an earlier answer's `nextRecordsUrl` (`@{more0.nextRecordsUrl}`): a Query More (listing-more.ts). */
const QUERY_MORE_REFERENCE = /^@\{[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+|\[\d+\])*\.nextRecordsUrl\}$/;

export function isQueryOrCollection(url: string): boolean {
  return LIMITED.test(url) || QUERY_MORE_REFERENCE.test(url);
}

/** Whether one more query operation fits in a Composite call of `subrequests`. Pure. */
export function hasQuerySlot(subrequests: readonly { url: string }[]): boolean {
  return subrequests.length < SUBREQUESTS_PER_CALL && subrequests.filter((s) => isQueryOrCollection(s.url)).length < QUERIES_PER_CALL;
}

/**
 * Throws when `subrequests` would be refused for a limit: a builder's mistake, named with the reference IDs,
 * before the call is billed. Pure.
 */
export function assertWithinCompositeLimits(subrequests: readonly { method: string; url: string; referenceId: string }[]): void {
  const limited = subrequests.filter((s) => isQueryOrCollection(s.url));
  if (subrequests.length <= SUBREQUESTS_PER_CALL && limited.length <= QUERIES_PER_CALL) return;
  throw new Error(
    `a Composite call of ${subrequests.length} subrequests, ${limited.length} of them query operations or sObject Collections ` +
      `(${limited.map((s) => s.referenceId).join(', ')}), is over Salesforce's limits (${SUBREQUESTS_PER_CALL} subrequests, ${QUERIES_PER_CALL} of those); it was not sent`,
  );
}
