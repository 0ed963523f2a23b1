/**
 * The change feed's first request of a run, as one Composite call (one API call, issue 13): the
 * opportunity listing's first batch, the four related-change queries and the getDeleted windows of
 * opportunities and related objects. An idle run makes this call and no other. At most five query
 * subrequests go in one Composite call (Salesforce's limit): the listing and the four related queries.
 * Continuations (a listing or a related query with more rows) are fetched after it.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
import type { SfRecord } from './assemble.js';
import type { CompositeSubrequest, CompositeSubresponse, QueryResult, SalesforceClient } from './client.js';
import type { DeletedResult, DeletionAnswer, DeletionFeed, Deletions } from './deletion-feed.js';
import { subrequestError } from './composite-queries.js';
import { latestByParent, relatedChangeQueries } from './related-changes.js';

export interface FirstRoundInput {
  listing: string;
  /** Related rows and deletions are asked for only on a resumed run. */
  resumed?: { relatedSince: string; relatedCondition?: string; deletionsSince: string; nowMs: number };
}

export interface FirstRound {
  listing: QueryResult<SfRecord>;
  /** Opportunity ID → its latest related-row change. */
  related: Map<string, string>;
  deletions?: Deletions;
}

function queryBody(res: CompositeSubresponse | undefined): QueryResult<SfRecord> {
  if (!res) throw new Error('Salesforce left a Composite subrequest unanswered');
  if (res.httpStatusCode !== 200) throw subrequestError(res);
  return res.body as QueryResult<SfRecord>;
}

/**
 * Folds every row of one related query, batch by batch, into the latest change per opportunity. After a
 * bulk change the window holds four related rows per deal (200,000 at 50,000 deals); gathered into one
 * list first they were the engine's peak memory.
 */
export async function foldRelatedRows(client: Pick<SalesforceClient, 'queryMore'>, ref: string, first: QueryResult<SfRecord>, latest: Map<string, string>): Promise<void> {
  for (let page = first; ; page = await client.queryMore<SfRecord>(page.nextRecordsUrl!)) {
    for (const [id, at] of latestByParent({ [ref]: page.records })) {
      const seen = latest.get(id);
      if (!seen || Date.parse(at) > Date.parse(seen)) latest.set(id, at);
    }
    if (page.done || !page.nextRecordsUrl) return;
  }
}

export async function firstRound(client: SalesforceClient, deletionFeed: DeletionFeed, input: FirstRoundInput): Promise<FirstRound> {
  const base = `/services/data/v${client.apiVersion}`;
  const query = (referenceId: string, soql: string): CompositeSubrequest => ({ method: 'GET', url: `${base}/query/?q=${encodeURIComponent(soql)}`, referenceId });
  const subrequests: CompositeSubrequest[] = [query('listing', input.listing)];
  const resumed = input.resumed;
  const relatedQueries: Record<string, string> = resumed ? relatedChangeQueries(resumed.relatedSince, resumed.relatedCondition) : {};
  for (const [ref, soql] of Object.entries(relatedQueries)) subrequests.push(query(ref, soql));
  const deletions = resumed ? deletionFeed.requests(resumed.deletionsSince, resumed.nowMs) : undefined;
  for (const r of deletions?.requests ?? []) subrequests.push({ method: 'GET', url: r.url, referenceId: `deleted_${r.type}` });

  const answers = new Map((await client.composite(subrequests, true)).map((r) => [r.referenceId, r]));
  const listing = queryBody(answers.get('listing'));
  const related = new Map<string, string>();
  for (const ref of Object.keys(relatedQueries)) await foldRelatedRows(client, ref, queryBody(answers.get(ref)), related);
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
    ...(deletions && resumed ? { deletions: deletionFeed.interpret(deletions.window, deletionAnswers, resumed.nowMs) } : {}),
  };
}
