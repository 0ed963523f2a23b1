/**
 * The change feed's first request of a run, as one Composite call (one API call, issue 13): the
 * opportunity listing's first batch, the four related-change queries and the getDeleted windows of
 * opportunities and related objects. An idle run makes this call and no other. At most five query
 * operations go in one Composite call (Salesforce's limit, composite-limits.ts): the listing and the four
 * related queries; account changes come with the listing's rows (account-changes.ts), the getDeleted
 * requests are sObject resources. Until 2026-12-07 a fifth related query (accounts) made six, and Salesforce
 * would have refused this call on every run after the first.
 * The related queries of objects kept in the Recycle Bin go through QueryAll, so that a row deleted before
 * the run is listed by this run (related-changes.ts `READ_WITH_DELETED`). Continuations (a listing or a related query with more rows) are fetched after it.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
import type { SfRecord } from './assemble.js';
import type { CompositeSubrequest, CompositeSubresponse, QueryResult, SalesforceClient } from './client.js';
import type { DeletedResult, DeletionAnswer, DeletionFeed, Deletions } from './deletion-feed.js';
import { subrequestError } from './composite-queries.js';
import { isExpiredLocator } from './errors.js';
import { queryPages, type QueryPageReader } from './query-pages.js';
import { READ_WITH_DELETED, relatedChangeQueries, relatedChanges, type RelatedChange, type RelatedChangeKind, type RelatedQueryKind } from './related-changes.js';

export interface FirstRoundInput {
  listing: string;
  /** Related rows and deletions are asked for only on a resumed run. */
  resumed?: { relatedSince: string; relatedCondition?: string; deletionsSince: string; nowMs: number };
}

export interface FirstRound {
  listing: QueryResult<SfRecord>;
  /** The related rows changed since `relatedSince`, with their versions. */
  related: RelatedChange[];
  deletions?: Deletions;
}

function queryBody(res: CompositeSubresponse | undefined): QueryResult<SfRecord> {
  if (!res) throw new Error('Salesforce left a Composite subrequest unanswered');
  if (res.httpStatusCode !== 200) throw subrequestError(res);
  return res.body as QueryResult<SfRecord>;
}

/**
 * Reads every row of one related query, batch by batch, keeping only each row's change (key, version,
 * parent, time), never the rows themselves. After a bulk change the window holds four related rows per
 * deal (200,000 at 50,000 deals); gathered as records first they were the engine's peak memory.
 */
export async function foldRelatedRows(client: QueryPageReader, ref: RelatedChangeKind, first: QueryResult<SfRecord>, into: RelatedChange[], soql?: string): Promise<void> {
  const all = READ_WITH_DELETED.has(ref);
  const start = into.length;
  for (let restarted = false, answer = first; ; ) {
    try {
      for await (const page of queryPages(client, answer)) for (const change of relatedChanges({ [ref]: page.records })) into.push(change);
      return;
    } catch (error) {
      // A locator Salesforce no longer holds (INVALID_QUERY_LOCATOR: past its life, or one of too many open):
      // the query is asked again from its start, once, and what was folded of it is dropped first.
      if (restarted || !soql || !isExpiredLocator(error)) throw error;
      restarted = true;
      into.length = start;
      answer = await client.query<SfRecord>(soql, undefined, all);
    }
  }
}

export async function firstRound(client: SalesforceClient, deletionFeed: DeletionFeed, input: FirstRoundInput): Promise<FirstRound> {
  const base = `/services/data/v${client.apiVersion}`;
  const query = (referenceId: string, soql: string): CompositeSubrequest => ({ method: 'GET', url: `${base}/${READ_WITH_DELETED.has(referenceId as RelatedChangeKind) ? 'queryAll' : 'query'}/?q=${encodeURIComponent(soql)}`, referenceId });
  const subrequests: CompositeSubrequest[] = [query('listing', input.listing)];
  const resumed = input.resumed;
  const relatedQueries: Partial<Record<RelatedQueryKind, string>> = resumed ? relatedChangeQueries(resumed.relatedSince, resumed.relatedCondition) : {};
  for (const [ref, soql] of Object.entries(relatedQueries)) subrequests.push(query(ref, soql));
  const deletions = resumed ? deletionFeed.requests(resumed.deletionsSince, resumed.nowMs) : undefined;
  for (const r of deletions?.requests ?? []) subrequests.push({ method: 'GET', url: r.url, referenceId: `deleted_${r.type}` });

  const answers = new Map((await client.composite(subrequests, true)).map((r) => [r.referenceId, r]));
  const listing = queryBody(answers.get('listing'));
  const related: RelatedChange[] = [];
  for (const ref of Object.keys(relatedQueries) as RelatedQueryKind[]) await foldRelatedRows(client, ref, queryBody(answers.get(ref)), related, relatedQueries[ref]);
  const deletionAnswers = (deletions?.requests ?? []).map((r): DeletionAnswer => {
    const res = answers.get(`deleted_${r.type}`);
    if (res?.httpStatusCode === 200) return { ok: true, body: res.body as DeletedResult };
    const error = res ? subrequestError(res) : new Error(`Salesforce left the getDeleted request for ${r.type} unanswered`);
    const serviceCode = (error as { context?: { serviceCode?: string } }).context?.serviceCode;
    return { ok: false, error, ...(serviceCode ? { serviceCode } : {}) };
  });
  return {
    listing,
    related,
    ...(deletions && resumed ? { deletions: await deletionFeed.interpret(deletions.window, deletionAnswers, client.serverNowMs() ?? resumed.nowMs) } : {}),
  };
}
