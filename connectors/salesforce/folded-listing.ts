/**
 * The listing's first query with the engine's own reads folded in (issue 13). When the Partner Center phase
 * opens the feed (connectors/change-listing.ts), it needs the CRM records of the referrals Partner Center
 * changed; read apart, they cost a call of their own after the feed's first call. That call is a Composite
 * of five query operations, Salesforce's most (composite-limits.ts), so the read cannot be a sixth
 * subrequest; it goes into the listing's query instead (with the account condition of a resumed run,
 * account-changes.ts):
 *
 *   SELECT fields, LastModifiedById FROM Opportunity
 *   WHERE (<the listing's window>) OR Id IN (<the engine's IDs>) [OR Account.SystemModstamp >= <since>]
 *   ORDER BY SystemModstamp, Id LIMIT <page>
 *
 * The rows' related rows come with the same call's related-change queries, which also name these deals
 * (fold-related.ts; until 2026-12-07 they were subqueries here, and counted toward this query's 200-record
 * batches), so the listed records need no read of their own either. A row that came only through `Id IN` is not a change: the
 * window's own condition, checked here on each row (`listedByWindow`, the same test as the SOQL), tells the
 * listing's rows from the others, and only the listing's rows reach its pages, position and watermark.
 *
 * Bounds. `LIMIT` keeps what is read before the engine goes on to one page; a query that fills it is cut
 * after its first batch, and the listing goes on with the plain query after that batch's last row (`cut`). IDs past `FOLDED_IDS` (below), a cursor
 * without a server-anchored window, or a deletion gap leave the query as it was: the engine then reads its
 * records itself, as before. A start inside a second (a position with an Id: `rereadSeconds: 0` and a
 * listing that ended in the second its anchor was read) is folded with the keyset condition
 * `(SystemModstamp > :s OR (SystemModstamp = :s AND Id > :id))`, and `listedByWindow` tests the same.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm
 */
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import type { SfRecord } from './assemble.js';
import type { QueryResult, SalesforceClient } from './client.js';
import { runCompositeQueries } from './composite-queries.js';
import { accountChanged, MODIFIED_BY, takeAccountChanges, watchedFields, type AccountWatch } from './account-changes.js';
import type { RelatedChange } from './related-changes.js';
import { childRowsQuery, splitRelated, type RelatedRows } from './deals-by-id.js';
import { parentOf, type FoldKind, type RelatedFold } from './fold-related.js';
import { positionOf, type FeedWindow } from './feed-window.js';
import { afterCondition, inList, laterPosition, quoteId, type FeedPosition } from './soql.js';

/**
 * The most IDs folded into the listing's query. The folded statement selects several custom long text fields,
 * so Salesforce answers it 200 records a batch, child rows counted (long-text-apart.ts), and a co-sell deal
 * read complete was about four records (its row, primary contact role, a team member, a solution) while its
 * related rows were subqueries here: the fold saved a call only when its answer fitted that first batch, about
 * 50 deals. (Its batch now holds 200 deals, fold-related.ts; a higher bound is not measured yet.) Past 50 IDs it can at best tie
 * with the plain listing (2,000 a batch, its whole window in the first call) followed by one read by ID of
 * the engine's records and the listed ones together (800 a call, deals-by-id.ts), and it lost more the more
 * IDs it held: at 500 (a 1% cycle at 50,000 deals) its first batch held 50 of them, and the cut cost a read
 * by ID of the other 450, the plain listing's continuation and the page's two related calls, 5 read calls
 * where the plain listing and one read of 1,000 IDs cost 3; at 150 (test/e2e/changed-cycle-calls.test.ts)
 * four batches, 4 read calls against 2.
 */
export const FOLDED_IDS = 50;

export interface Fold {
  ids: readonly string[];
  /** The window's start: inclusive without an Id, after that row (keyset order) with one (soql.ts `afterCondition`). */
  from: FeedPosition;
  /** The window's condition on the connector's own writes, as SOQL and as values, when the cursor has one. */
  narrow?: { soql: string; own: NonNullable<FeedWindow['own']> };
  limit: number;
}

/** The fold for these IDs, or undefined when the listing must stay as it was (see above). */
export function foldOf(ids: readonly string[], from: FeedPosition | undefined, window: FeedWindow | undefined, limit: number): Fold | undefined {
  if (ids.length === 0 || ids.length > FOLDED_IDS || !from || !window) return undefined;
  if (window.opportunities !== undefined && !window.own) return undefined;
  return { ids, from, ...(window.opportunities && window.own ? { narrow: { soql: window.opportunities, own: window.own } } : {}), limit };
}

/** What the first call's related-change queries read along for this fold: the asked deals' rows and the window's (fold-related.ts). */
export function relatedFold(fold: Fold): RelatedFold {
  return { ids: fold.ids, since: fold.from.modstamp, ...(fold.narrow ? { own: fold.narrow.own } : {}) };
}

const selects = (fields: readonly string[], name: string) => fields.some((f) => f.toLowerCase() === name.toLowerCase());

export function foldedQuery(fields: readonly string[], fold: Fold, watch?: AccountWatch): string {
  const watched = watchedFields(fields, watch);
  // The deals alone: their related rows come with the first call's related-change queries (fold-related.ts).
  const select = [...watched, ...(selects(watched, MODIFIED_BY) ? [] : [MODIFIED_BY])];
  const window = fold.narrow ? `${afterCondition(fold.from)} AND ${fold.narrow.soql}` : afterCondition(fold.from);
  const accounts = watch ? ` OR ${accountChanged(watch)}` : '';
  return `SELECT ${select.join(', ')} FROM Opportunity WHERE (${window}) OR Id IN ${inList(fold.ids, quoteId)}${accounts} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${fold.limit}`;
}

/** Record IDs are equal when their case-sensitive 15-character forms are. */
const sameId = (a: unknown, b: string) => typeof a === 'string' && a.slice(0, 15) === b.slice(0, 15);

/** Whether the listing's own condition (soql.ts `afterCondition`, feed-window.ts `windowFrom`) holds for `row`. Pure. */
export function listedByWindow(row: SfRecord, fold: Pick<Fold, 'from' | 'narrow'>): boolean {
  const at = Date.parse(sfDatetimeToIso(row.SystemModstamp) ?? '');
  const start = Date.parse(fold.from.modstamp);
  // Ordered as SOQL orders `Id` (the sandbox compares the strings; a position holds the 18-character form).
  const inWindow = fold.from.id === '' ? at >= start : at > start || (at === start && typeof row.Id === 'string' && row.Id > fold.from.id);
  if (!inWindow) return false;
  const own = fold.narrow?.own;
  if (!own) return true;
  return !sameId(row[MODIFIED_BY], own.userId) || at >= Date.parse(own.ownThrough) || own.recheck.some((id) => sameId(row.Id, id));
}

/**
 * A batch of the listing's query (account-changes.ts): the rows of the listing's own window (all of them
 * without one), and the account changes of every row, the watch's fields taken off. Rows are told apart
 * first: that takes `LastModifiedById`.
 */
export function splitListing(rows: readonly SfRecord[], watch: AccountWatch | undefined, window: Pick<Fold, 'from' | 'narrow'> | undefined): { listed: SfRecord[]; changes: RelatedChange[] } {
  const listed = window ? rows.filter((r) => listedByWindow(r, window)) : [...rows];
  return { listed, changes: watch ? takeAccountChanges(rows, watch) : [] };
}

export interface FoldedAnswer {
  /** The listing's rows, as the plain listing returns them (no subquery results, nor `LastModifiedById`). */
  listed: QueryResult<SfRecord>;
  /** Where the listing goes on, when the query was cut and not gone on with here (`goOn`): after its last row. */
  cut?: FeedPosition;
  /** The asked IDs whose read this is: all of them, or those found when the query was cut. */
  asked: string[];
  /** These rows with their related rows, as a read by ID gives them (those not read are left out). */
  full(ids: readonly string[]): { opportunities: SfRecord[]; related: RelatedRows };
  /** The IDs of the rows the engine asked for that were found. */
  found: string[];
  /** The accounts changed, of every row read (account-changes.ts). */
  accountChanges: RelatedChange[];
}

/**
 * Batches past the first a folded query is followed through. Its statement selects several custom long text
 * fields, so Salesforce answers it 200 records a batch (long-text-apart.ts), and each further batch is a call
 * of its own: 1,000 changed deals with three related rows each took 19 more calls when the related rows came
 * as subqueries. A query that needs more is cut like a full one; the plain listing goes on 2,000 a batch, and
 * the rows the cut left out are read by ID (800 a call): two calls, so following a second batch saves nothing
 * (three were followed while the related rows came as subqueries, four records a deal; fold-related.ts).
 */
const FOLLOWED_BATCHES = 1;

function fewMore(first: QueryResult<SfRecord>): boolean {
  const rows = first.records.length;
  return first.done || (rows > 0 && Math.ceil((first.totalSize - rows) / rows) <= FOLLOWED_BATCHES);
}

/**
 * The folded query's rows: read to their end (continuations and child results followed: a few calls at most)
 * when the query holds fewer rows than its limit (`totalSize`: the whole result's size) and its first batch
 * needs at most three more (`fewMore`). One that fills it, or needs more batches, is a bulk change: its first
 * batch is kept (its child results followed) and cut at its last row, so that
 * the listing goes on as a plain one, whose rows cost no related subqueries (child rows count toward a
 * batch's 2,000 records: following the folded query to its limit cost two more calls than the plain listing
 * at 2,500 changed deals). With `goOn`, the plain listing's next batch is read here (2026-12-07), so that a
 * listing it ends is announced whole.
 */
/** The plain listing's batch after a position: its rows, and those of them the window lists with the accounts changed (listing-scope.ts). */
export type GoOn = (at: FeedPosition) => Promise<{ result: QueryResult<SfRecord>; listed: SfRecord[]; changes: RelatedChange[] }>;

export async function readFolded(client: SalesforceClient, soql: string, first: QueryResult<SfRecord>, fold: Fold, fields: readonly string[], watch?: AccountWatch, goOn?: GoOn, related?: RelatedRows): Promise<FoldedAnswer> {
  const whole = first.totalSize < fold.limit && fewMore(first);
  const answered = whole ? first : { ...first, done: true, nextRecordsUrl: undefined };
  const rows = (await runCompositeQueries(client, { folded: soql }, childRowsQuery, { folded: answered })).folded!;
  const split = splitListing(rows, watch, fold);
  const leaveOut = selects(fields, MODIFIED_BY) ? undefined : MODIFIED_BY;
  const byId = new Map(rows.map((r) => [r.Id, r]));
  const shortIds = new Set(fold.ids.map((id) => id.slice(0, 15)));
  const found = rows.filter((r) => shortIds.has(r.Id.slice(0, 15))).map((r) => r.Id);
  const foundShort = new Set(found.map((id) => id.slice(0, 15)));
  const last = rows[rows.length - 1];
  // Rows asked for that are older than the window sort first: a batch of only those ends before the window,
  // and the listing goes on from the window's start (inclusive), not from them (which re-listed every
  // opportunity saved since the oldest record asked for, and handed those on as changes).
  const cut = !whole && last ? laterPosition(positionOf(last), fold.from) : undefined;
  const listed = splitRelated(split.listed, leaveOut).opportunities;
  // A deal is complete when the related-change queries read its rows for sure (fold-related.ts): asked by ID, or
  // listed by the window. Without those rows (a bulk change asked them again without the fold) none is.
  const complete = (row: SfRecord) => related !== undefined && (shortIds.has(row.Id.slice(0, 15)) || listedByWindow(row, fold));
  const answer = {
    asked: !related ? [] : cut ? fold.ids.filter((id) => foundShort.has(id.slice(0, 15))) : [...fold.ids],
    full: (ids: readonly string[]) => withRelated(splitRelated(ids.flatMap((id) => byId.get(id) ?? []).filter(complete), leaveOut).opportunities, related),
    found,
  };
  if (!cut || !goOn) return { ...answer, listed: { totalSize: listed.length, done: !cut, records: listed }, ...(cut ? { cut } : {}), accountChanges: split.changes };
  // A cut listing goes on now, with the plain listing's next batch (2,000 rows; the call the pages made first
  // anyway), before the first call is announced: when that batch ends the listing, the engine reads the rows to
  // read with the asked records the cut left out in one read by ID (crm-read-ahead.ts), where the pages read
  // them with related calls of their own (two for more than 200 linked rows) after the engine's own read.
  const more = await goOn(cut);
  const records = [...listed, ...more.listed];
  const next = more.result.nextRecordsUrl;
  // `totalSize` stays the plain query's: with its locator's row count it says how many batches the listing's
  // next call asks for (listing-more.ts); the rows held here (folded and plain) made it ask for one.
  return { ...answer, listed: { totalSize: more.result.totalSize, done: more.result.done, ...(next ? { nextRecordsUrl: next } : {}), records }, accountChanges: [...split.changes, ...more.changes] };
}

/** These deals with their rows among `related` (the related-change queries' rows of the folded deals). */
function withRelated(opportunities: SfRecord[], related: RelatedRows | undefined): { opportunities: SfRecord[]; related: RelatedRows } {
  const ids = new Set(opportunities.map((o) => o.Id.slice(0, 15)));
  const of = (kind: FoldKind) => (related?.[kind] ?? []).filter((row) => ids.has(String(parentOf(kind, row)).slice(0, 15)));
  return { opportunities, related: { contactRoles: of('contactRoles'), team: of('team'), solutions: of('solutions'), invitations: of('invitations') } };
}
