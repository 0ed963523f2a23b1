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
 * With a folded listing (folded-listing.ts) the related queries also read the folded deals' rows (fold-related.ts).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
import type { SfRecord } from './assemble.js';
import type { CompositeSubrequest, CompositeSubresponse, QueryResult, SalesforceClient } from './client.js';
import type { DeletedResult, DeletionAnswer, DeletionFeed, Deletions } from './deletion-feed.js';
import { queryAnswer, subrequestError } from './composite-queries.js';
import { hasQuerySlot } from './composite-limits.js';
import type { QueryRider } from './stage-listing.js';
import { isExpiredLocator } from './errors.js';
import { queryPages, type QueryPageReader } from './query-pages.js';
import type { RelatedRows } from './deals-by-id.js';
import { asSubqueryRow, inSubqueryOrder, isRelatedChange, type ChangeTest, type RelatedFold } from './fold-related.js';
import { READ_WITH_DELETED, relatedChangeQueries, relatedChanges, type RelatedChange, type RelatedChangeKind, type RelatedQueryKind } from './related-changes.js';

export interface FirstRoundInput {
  listing: string;
  /** Related rows and deletions are asked for only on a resumed run. */
  resumed?: { relatedSince: string; relatedCondition?: string; deletionsSince: string; nowMs: number; own?: ChangeTest['own']; fold?: RelatedFold };
  /** A query that rides in this call when it has a query operation to spare (stage-listing.ts). */
  rider?: QueryRider | undefined;
}

export interface FirstRound {
  listing: QueryResult<SfRecord>;
  /** The related rows changed since `relatedSince`, with their versions. */
  related: RelatedChange[];
  deletions?: Deletions;
  /**
   * The folded deals' related rows the related-change queries read along (fold-related.ts), as subqueries give
   * them; undefined without a fold, or when a query held more than one batch (then read again without it).
   */
  foldRows?: RelatedRows;
  /**
   * The server's time as of this first call's answer, the listing's statement among its subrequests: read
   * before the call that asks a fold's queries again, or follows them, so that a save between the two stays
   * in the next window, anchored to it (read.ts `readAt`).
   */
  readAt?: string;
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

/** A query subrequest; the related queries of objects with a Recycle Bin through QueryAll. */
function querySubrequest(client: SalesforceClient, referenceId: string, soql: string): CompositeSubrequest {
  return { method: 'GET', url: client.dataPath(`/${READ_WITH_DELETED.has(referenceId as RelatedChangeKind) ? 'queryAll' : 'query'}/?q=${encodeURIComponent(soql)}`), referenceId };
}

export async function firstRound(client: SalesforceClient, deletionFeed: DeletionFeed, input: FirstRoundInput): Promise<FirstRound> {
  const query = (referenceId: string, soql: string) => querySubrequest(client, referenceId, soql);
  const subrequests: CompositeSubrequest[] = [query('listing', input.listing)];
  const resumed = input.resumed;
  const relatedQueries: Partial<Record<RelatedQueryKind, string>> = resumed ? relatedChangeQueries(resumed.relatedSince, resumed.relatedCondition, resumed.fold) : {};
  for (const [ref, soql] of Object.entries(relatedQueries)) subrequests.push(query(ref, soql));
  const deletions = resumed ? deletionFeed.requests(resumed.deletionsSince, resumed.nowMs) : undefined;
  for (const r of deletions?.requests ?? []) subrequests.push({ method: 'GET', url: r.url, referenceId: `deleted_${r.type}` });

  const rider = input.rider && hasQuerySlot(subrequests) ? input.rider : undefined;
  if (rider) subrequests.push(query(rider.referenceId, rider.soql));
  const answers = new Map((await client.composite(subrequests, true)).map((r) => [r.referenceId, r]));
  const readAt = client.lastServerTime();
  rider?.accept(answers.get(rider.referenceId));
  const listing = queryAnswer(answers.get('listing'), 'listing');
  const related: RelatedChange[] = [];
  const fold = resumed?.fold ? await readWithFold(client, relatedQueries, answers, related, { since: resumed.relatedSince, ...(resumed.own ? { own: resumed.own } : {}) }) : undefined;
  if (fold === undefined) {
    // A fold whose queries came in more than one batch: asked again without it (one call), then followed.
    const plain = resumed?.fold ? relatedChangeQueries(resumed.relatedSince, resumed.relatedCondition) : relatedQueries;
    const plainAnswers = resumed?.fold ? new Map((await client.composite(Object.entries(plain).map(([ref, soql]) => query(ref, soql)), true)).map((r) => [r.referenceId, r])) : answers;
    for (const ref of Object.keys(plain) as RelatedQueryKind[]) await foldRelatedRows(client, ref, queryAnswer(plainAnswers.get(ref), ref), related, plain[ref]);
  }
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
    ...(fold ? { foldRows: fold } : {}),
    ...(readAt ? { readAt } : {}),
    ...(deletions && resumed ? { deletions: await deletionFeed.interpret(deletions.window, deletionAnswers, client.serverNowMs() ?? resumed.nowMs) } : {}),
  };
}

/**
 * The related-change queries with the folded deals' rows (fold-related.ts): the changes among their rows, and
 * the rows as subqueries give them. A query that came in more than one batch is a bulk change: undefined, and
 * the caller asks them again without the fold (one Composite call) and follows them as before, so that the
 * fold never costs a batch per 2,000 of the window's rows; its deals are then read by ID.
 */
async function readWithFold(client: SalesforceClient, queries: Partial<Record<RelatedQueryKind, string>>, answers: ReadonlyMap<string, CompositeSubresponse>, into: RelatedChange[], test: ChangeTest): Promise<RelatedRows | undefined> {
  const kinds = Object.keys(queries) as RelatedQueryKind[];
  const firsts = kinds.map((kind) => [kind, queryAnswer(answers.get(kind), kind)] as const);
  if (firsts.some(([, first]) => !first.done)) return undefined;
  const rows: RelatedRows = { contactRoles: [], team: [], solutions: [], invitations: [] };
  for (const [kind, first] of firsts) {
    into.push(...relatedChanges({ [kind]: first.records.filter((row) => isRelatedChange(kind, row, test)) }));
    for (const row of first.records) {
      const asRead = asSubqueryRow(kind, row);
      if (asRead) rows[kind].push(asRead);
    }
  }
  return inSubqueryOrder(rows);
}
