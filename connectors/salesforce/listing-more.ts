/**
 * The listing's next batches, several in one API call (issue 13). Followed one Query More at a time, the
 * 50,000-opportunity initial sync spent 24 calls on its batches of 2,000; a Composite call carries up to five
 * query operations, Query More among them (composite-limits.ts), and "the entire series of requests counts as
 * a single call toward your API limits". The first subrequest follows the locator in hand; each later one
 * follows the one before it through a reference to its answer, `@{moreN.nextRecordsUrl}` ("you can use the
 * output of one request as the input to a subsequent request"), so the batches of a call are the ones as many
 * Query More calls would have read, in the same order (three a call: `LISTING_BATCHES_PER_CALL`).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
 *
 * How many: no more than the query still holds. A reference to a batch that came back `done` has no
 * `nextRecordsUrl` to stand for, and what Salesforce answers for it is not documented (UNVERIFIED; "dependent
 * subrequests aren't executed" is documented only for a subrequest that failed). The chain is sized so that it
 * never gets there: the locator Salesforce hands out ends in the number of rows already returned
 * (`…/query/01gD0000002HU6KIAW-2000`, the Query More example), `totalSize` says how many the query holds, and
 * no batch holds more than the batch size asked for. When a batch holds fewer (Salesforce may return smaller
 * ones), the chain ends before the query does and the next call goes on from its last locator. Should a
 * chained subrequest fail all the same, the batches before it are kept and the listing goes on from there; a
 * failure of the first one (an expired locator: read.ts starts a new query) is passed on as Query More's is.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query_more_results.htm
 */
import type { SfRecord } from './assemble.js';
import type { QueryResult, SalesforceClient } from './client.js';
import { QUERIES_PER_CALL } from './composite-limits.js';
import { moreUrl, subrequestError } from './composite-queries.js';

/** The rows a query returned before this locator, or undefined when the locator does not say. */
export function rowsBefore(nextRecordsUrl: string): number | undefined {
  const m = /-(\d+)$/.exec(nextRecordsUrl);
  return m ? Number(m[1]) : undefined;
}

/**
 * Batches one call chains: three, not the five a Composite call may carry (`QUERIES_PER_CALL`). The rows of a
 * call's batches wait in the listing's buffer while the pages before them are read complete, written to
 * Partner Center and written back; five batches (10,000 rows) raised the engine's peak RSS in the 50,000-deal
 * initial sync from 267 to 307–329 MB (bench, 2026-12-07), over the 300 MB goal of issue 13. Three cost that
 * sync three calls more (8 for its 24 batches after the first, not 5).
 */
export const LISTING_BATCHES_PER_CALL = Math.min(3, QUERIES_PER_CALL);

/** How many batches to ask for after `answer`: those the query still holds, at most `LISTING_BATCHES_PER_CALL`. Pure. */
export function batchesToAsk(answer: Pick<QueryResult<unknown>, 'totalSize' | 'nextRecordsUrl'>, batchSize: number): number {
  const before = answer.nextRecordsUrl === undefined ? undefined : rowsBefore(answer.nextRecordsUrl);
  if (before === undefined || !(batchSize > 0)) return 1;
  return Math.max(1, Math.min(LISTING_BATCHES_PER_CALL, Math.ceil((answer.totalSize - before) / batchSize)));
}

/**
 * The batches after `answer` (not done, with a locator), as many as `batchesToAsk` says, in one Composite call:
 * their rows in order, `done` and `nextRecordsUrl` those of the last batch read.
 */
export async function moreBatches(client: SalesforceClient, answer: QueryResult<SfRecord>, batchSize: number): Promise<QueryResult<SfRecord>> {
  const base = client.dataPath();
  const count = batchesToAsk(answer, batchSize);
  const subrequests = Array.from({ length: count }, (_, i) => ({ method: 'GET' as const, url: i === 0 ? moreUrl(base, answer.nextRecordsUrl!) : `@{more${i - 1}.nextRecordsUrl}`, referenceId: `more${i}` }));
  const responses = new Map((await client.composite(subrequests, true)).map((r) => [r.referenceId, r]));
  let last: QueryResult<SfRecord> | undefined;
  const records: SfRecord[] = [];
  for (const { referenceId } of subrequests) {
    const res = responses.get(referenceId);
    if (!res || res.httpStatusCode !== 200) {
      if (!last && res) throw subrequestError(res);
      if (!last) throw new Error('Salesforce left a Query More subrequest unanswered');
      break;
    }
    last = res.body as QueryResult<SfRecord>;
    records.push(...last.records);
    if (last.done || !last.nextRecordsUrl) break;
  }
  return { ...last!, records };
}
