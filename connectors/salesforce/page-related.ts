/**
 * A listing page's related call (read.ts): the primary contact roles, team members, solutions and partner
 * invitations of the page's window, and its members with the kept fields of the rows to read
 * (long-text-apart.ts), in one Composite call where they fit, with the listing's next batch riding along.
 *
 * Why the invitations ride in the members statement when it selects no long text field (a bulk page: the
 * members are listed by `Id, SystemModstamp` only): as a query of their own they were a query operation every
 * page, of the five a Composite call holds, and at the outbound initial sync they have no rows. As a
 * parent-to-child subquery of the members statement (deals-by-id.ts `invitationsSubquery`) their rows count
 * toward the batch size as the members do ("Child objects count toward the number of records for the batch
 * size", Query Options Header), so the statement's batches hold what the two queries' held, and the
 * invitation notes are its one long text field (a batch of 2,000, not 200: Change the Batch Size in Queries).
 * The members statement selecting the kept long text fields (a page of up to 200 rows to read, or more than
 * 200 linked rows) keeps the invitations apart: a second long text field would make its batch 200.
 *
 * Why the listing's next batch rides here: the call then has a spare query operation (four statements), and
 * the listing's next Query More is one (composite-limits.ts). It comes with the last page the buffer holds,
 * so that the buffer never holds more than that page and one batch (listing-more.ts chains three a call for
 * memory, each a call of its own: at 50,000 deals eight calls). Its answer is handed back as Query More's
 * would be, a refusal (an expired locator) as the error, for read.ts to go on from as before.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_changing_batch_size.htm
 */
import type { SfRecord } from './assemble.js';
import type { QueryResult, SalesforceClient } from './client.js';
import { QUERIES_PER_CALL } from './composite-limits.js';
import { moreUrl, queryAnswer, queryUrl, runCompositeQueries, subrequestError } from './composite-queries.js';
import { childRowsQuery, invitationsSubquery, splitRelated, type RelatedRows } from './deals-by-id.js';
import { membersQueries, membersSelectLongText, withApartFields } from './long-text-apart.js';
import { relatedQueries } from './soql.js';

/** The reference of the listing's next batch in a related call. */
const LISTING_MORE = 'listingMore';

/**
 * The statements of a page's related call, by reference: the related queries of `window` and its members
 * queries for `toRead`, the invitations folded into a members statement without long text. Pure.
 */
export function pageRelatedQueries(window: string, toRead: readonly Readonly<Record<string, unknown>>[]): Record<string, string> {
  const { invitations, ...related } = relatedQueries({ window });
  if (membersSelectLongText(toRead)) return { ...related, invitations, ...membersQueries(window, toRead) };
  return { ...related, ...membersQueries(window, toRead, [invitationsSubquery()]) };
}

/** The related rows of a page's answers (`pageRelatedQueries`), and the rows of `toRead` still in the window with their kept fields. */
export function pageRelatedRows(toRead: readonly SfRecord[], rows: Readonly<Record<string, SfRecord[]>>): RelatedRows & { current: SfRecord[] } {
  const folded = rows.invitations === undefined;
  const split = folded ? splitRelated(rows.window ?? []) : undefined;
  const answers = split ? { ...rows, window: split.opportunities } : rows;
  const current = withApartFields(toRead, Object.fromEntries(Object.keys(rows).filter((ref) => ref === 'window' || ref.startsWith('apart')).map((ref) => [ref, answers[ref]!])));
  return { contactRoles: rows.contactRoles!, team: rows.team!, solutions: rows.solutions!, invitations: split ? split.related.invitations : rows.invitations!, current };
}

/** What a page's related call read: its related rows, and the listing's next batch when it rode along (or why it was refused). */
export interface PageRelated {
  related: RelatedRows & { current: SfRecord[] };
  next?: QueryResult<SfRecord> | Error;
}

/**
 * A page's related call; `nextRecordsUrl`: the listing's locator, whose next batch rides in the call's first
 * Composite call when it has a query operation to spare (else `next` is absent and the listing asks on its own).
 */
export async function readPageRelated(client: SalesforceClient, window: string, toRead: readonly SfRecord[], nextRecordsUrl?: string): Promise<PageRelated> {
  const queries = pageRelatedQueries(window, toRead);
  const refs = Object.keys(queries);
  if (!nextRecordsUrl || refs.length >= QUERIES_PER_CALL) return { related: pageRelatedRows(toRead, await runCompositeQueries(client, queries, childRowsQuery)) };
  const base = client.dataPath();
  const subrequests = [
    ...refs.map((ref) => ({ method: 'GET' as const, url: queryUrl(base, queries[ref]!), referenceId: ref })),
    { method: 'GET' as const, url: moreUrl(base, nextRecordsUrl), referenceId: LISTING_MORE },
  ];
  const answers = new Map((await client.composite(subrequests, true)).map((r) => [r.referenceId, r]));
  const first = Object.fromEntries(refs.map((ref) => [ref, queryAnswer(answers.get(ref), ref)]));
  const more = answers.get(LISTING_MORE);
  const next = !more ? new Error('Salesforce left a Query More subrequest unanswered') : more.httpStatusCode === 200 ? (more.body as QueryResult<SfRecord>) : subrequestError(more);
  // The statements' further batches, if any, in calls of their own (their first answers are in hand).
  return { related: pageRelatedRows(toRead, await runCompositeQueries(client, queries, childRowsQuery, first)), next };
}
