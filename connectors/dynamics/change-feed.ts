/**
 * The change feed: Dataverse change tracking with delta links, and a `modifiedon` watermark query when
 * the delta token is older than its 7-day life or the server refuses it.
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 *
 * A tracking request may not `$expand`, so each page of changed IDs is read again with expanded,
 * IN-filtered queries (see queries.ts), in one `$batch` that also asks the next tracking page: one call
 * per page, not per record.
 */
import { ConnectorError } from '../../core/errors.js';
import { CHANGE_TRACKING_DAYS, DAY_MS, expiredAgeMs, isExpiredToken } from './token-life.js';
import type { Logger } from '../../core/logger.js';
import type { CrmChangePage, CrmCursor, CrmDeal, KnownVersions } from '../../core/engine/crm-port.js';
import type { DataverseClient } from './client.js';
import { apiRelativeLink } from './links.js';
import { getEach, type BatchGet, type GetAnswer } from './batch-reads.js';
import { TRACKING_QUERY, watermarkQuery } from './queries.js';
import { hydrateWith, withStatedClose } from './hydrate.js';
import type { CustomerReads } from './customer-reads.js';
import { FORMATTED_VALUES } from './pages.js';
import { contextFor, isDeleted, type RawRow, type ReadContext } from './records.js';
import { markUnfinishedCloses, type OpenButClosed } from './unfinished-close.js';
import { inEnginePages } from './engine-pages.js';
import { announceOnce, takenFromEngine, type OpenedListing } from './opened-listing.js';
import { guessedDeals, type Speculated } from './speculative-read.js';

/**
 * How far before the server's time of the last complete read a fallback watermark starts: a transaction
 * still in flight when that read ran can commit with an earlier `modifiedon`. Dataverse documents no
 * figure for this (UNVERIFIED); five minutes is the margin the Salesforce reader uses too.
 */
const WATERMARK_MARGIN_MS = 5 * 60_000;

/**
 * Links in cursors are relative to the Web API root (links.ts), so a stored cursor survives a moved
 * endpoint; cursors stored with absolute links by earlier versions are rebased when followed.
 */
export type DeltaCursor = { mode: 'delta'; link: string; issuedAt: string; watermark: string | null };
export type WatermarkCursor = { mode: 'watermark'; since: string; link: string | null; resumeLink: string; resumeIssuedAt: string };

export interface FeedDeps {
  client: DataverseClient;
  pageSize: number;
  logger: Logger;
  now: () => Date;
  /** The read context, with stage names looked up once per run. */
  context(): Promise<ReadContext>;
  /** Versions the engine holds already: listed, never read again in full (issue 13). */
  known?: KnownVersions;
  /** Other GETs this run still needs (the child tables' next pages): sent in one `$batch` with each next tracking page. */
  alongside?: Alongside;
  /** An opened listing (connectors/change-listing.ts): told what the first tracking page will read, it hands back the engine's reads. */
  listing?: OpenedListing;
  /** Where the account and contact versions read with each deal handed on are remembered (customer-reads.ts). */
  customerReads?: CustomerReads;
  /** What the run's first `$batch` read in full on a guess (speculative-read.ts): rows taken at the listed version only. */
  speculated?: Speculated;
}
export interface Alongside {
  requests(): BatchGet[];
  accept(answers: readonly GetAnswer<unknown>[]): void;
}

interface ODataPage {
  value: RawRow[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}


const latest = (a: string | null, b: string | undefined) => (b && (!a || Date.parse(b) > Date.parse(a)) ? b : a);
const isoOf = (value: unknown): string | undefined => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : undefined);

/**
 * Where a watermark fallback would start after a complete read the server answered at `serverDate` (its
 * `Date` header): that read saw every change committed before it, so the window is anchored to the
 * server's clock, not to the newest row (which after a bulk change made every later run re-read the
 * bulk), less the margin for late commits. Without a Date header, the newest row read. Pure.
 */
export function watermarkAfterRead(serverDate: string | undefined, newestRow: string | null, issuedAt: string): string {
  const server = serverDate ? Date.parse(serverDate) : Number.NaN;
  if (!Number.isNaN(server)) return new Date(server - WATERMARK_MARGIN_MS).toISOString();
  return newestRow ?? new Date(Date.parse(issuedAt) - WATERMARK_MARGIN_MS).toISOString();
}

/** The rows of a tracking page the engine does not hold yet (its own writes and synced versions are left out). */
async function unknownIds(rows: readonly RawRow[], known: KnownVersions | undefined): Promise<string[]> {
  await known?.prepare(rows.map((r) => String(r.opportunityid)));
  return rows.filter((r) => !known || typeof r['@odata.etag'] !== 'string' || !known.isKnown(String(r.opportunityid), r['@odata.etag'])).map((r) => String(r.opportunityid));
}

/** The `Prefer` values of an opportunity change-tracking request. */
export const trackingPrefer = (pageSize: number): string[] => ['odata.track-changes', `odata.maxpagesize=${pageSize}`];

/** A page of the opportunity feed, saying whether it is the run's last (so the caller need not hold it until the next arrives). */
export type FeedPage = CrmChangePage & { last: boolean };

/** The first tracking page of a run when the caller already fetched it (in the run's first `$batch`), or the error it got. */
export type FirstTrackingAnswer = { ok: true; body: unknown; date?: string } | { ok: false; error: unknown };

/** What the feed keeps of a tracking page once read, not its rows; `ahead`: the next page's answer (and the child tables' pages) when they came with this page's read. */
type TrackedPage = { deals: CrmDeal[]; deletedIds: string[]; mark: string | null; cursor: DeltaCursor; next?: string; ahead?: { answers: GetAnswer<unknown>[]; date?: string } };

/**
 * Reads a tracking page's changed rows in full, the next tracking page riding in the same `$batch`: one call
 * per page. A function of its own, so that the page's 5,000 tracking rows go once it returns: a generator
 * keeps every local of its frame while it waits at a `yield` (they stayed while the engine worked on the page).
 */
async function readTrackedPage(deps: FeedDeps, response: TrackingResponse, issuedAt: string, watermark: string | null, context: () => Promise<ReadContext>): Promise<TrackedPage> {
  // When the delta link came, not when the page is handed on (an opened listing waits for the engine here).
  const linkIssuedAt = deps.now().toISOString();
  const page: ODataPage = response.data;
  const deletedIds = page.value.filter(isDeleted).map((r) => String(r.id));
  const changed = page.value.filter((r) => !isDeleted(r));
  let mark = watermark;
  for (const row of changed) mark = latest(mark, isoOf(row.modifiedon));
  const ids = await unknownIds(changed, deps.known);
  const next = page['@odata.nextLink'];
  // The guess serves a listing of one page (the one an opened listing announces): its rows are all known here.
  const guess = !next && deps.speculated ? await guessedDeals(deps, deps.speculated, page.value, ids, context) : undefined;
  deps.speculated?.release();
  const engineReads = await announceOnce(deps.listing, next ? undefined : ids, guess?.readAlong);
  // Opened early, the guessed rows went to the engine and come back with its reads (unless it wrote to them since).
  const taken = takenFromEngine(changed, deps.listing ? engineReads : guess?.byId);
  let deals: CrmDeal[] = [];
  let ahead: TrackedPage['ahead'];
  const toHydrate = taken.size ? ids.filter((id) => !taken.has(id)) : ids;
  if (toHydrate.length) {
    const read = await hydrateWith(deps, toHydrate, await context(), next ? trackingRequests(deps, next) : []);
    deals = read.deals;
    if (next) ahead = { answers: read.others, ...(read.date ? { date: read.date } : {}) };
  }
  if (taken.size) {
    const hydrated = new Map(deals.map((d) => [d.crmId, d]));
    deals = ids.flatMap((id) => taken.get(id) ?? hydrated.get(id) ?? []);
  }
  const cursor: DeltaCursor = next
    ? { mode: 'delta', link: apiRelativeLink(next), issuedAt, watermark: mark }
    : { mode: 'delta', link: apiRelativeLink(String(page['@odata.deltaLink'])), issuedAt: linkIssuedAt, watermark: watermarkAfterRead(headerDate(response.headers), mark, issuedAt) };
  return { deals, deletedIds, mark, cursor, ...(next ? { next } : {}), ...(ahead ? { ahead } : {}) };
}

/** A change-tracking listing from `start` (a delta link, a next link, or a fresh start), page by page; `first`: its first answer when fetched already. */
export async function* tracked(deps: FeedDeps, start: string, issuedAt: string, watermark: string | null, first?: FirstTrackingAnswer): AsyncGenerator<FeedPage> {
  // Looked up only when a page has something to read: an idle run makes its one tracking call and no other.
  let ctx: ReadContext | undefined;
  const context = async () => (ctx ??= await deps.context());
  let read = await readTrackedPage(deps, first ? answerOf(first) : await nextTrackingPage(deps, start), issuedAt, watermark, context);
  // The first page's rows are read: not kept for the rest of the run.
  first = undefined;
  // Where a run stopped inside a page starts again: the link that brought the page.
  let before: DeltaCursor = { mode: 'delta', link: apiRelativeLink(start), issuedAt, watermark };
  for (;;) {
    yield* inEnginePages({ deals: read.deals, deletedIds: read.deletedIds, cursor: read.cursor, last: !read.next }, before);
    if (!read.next) return;
    before = read.cursor;
    // Taken only now, so that a refused next page (an expired token) fails after this page, as it would alone.
    read = await readTrackedPage(deps, read.ahead ? acceptTrackingAnswers(deps, read.ahead.answers, read.ahead.date) : await nextTrackingPage(deps, read.next), issuedAt, read.mark, context);
  }
}

type TrackingResponse = { data: ODataPage; headers: Record<string, unknown> };

/** The next tracking page's GET, and whatever else the run still needs from the service (the child tables' pages). */
function trackingRequests(deps: FeedDeps, url: string): BatchGet[] {
  return [{ url, prefer: trackingPrefer(deps.pageSize) }, ...(deps.alongside?.requests() ?? [])];
}

/** Hands the answers of {@link trackingRequests} out: the others to `alongside`, the tracking page back (or its error thrown). */
function acceptTrackingAnswers(deps: FeedDeps, answers: readonly GetAnswer<unknown>[], date: string | undefined): TrackingResponse {
  if (answers.length > 1) deps.alongside!.accept(answers.slice(1));
  const first = answers[0]!;
  return answerOf(first.ok ? { ok: true, body: first.body, ...(date ? { date } : {}) } : first);
}

/** The next tracking page, with whatever else the run still needs from the service in the same call. */
async function nextTrackingPage(deps: FeedDeps, url: string): Promise<TrackingResponse> {
  const requests = trackingRequests(deps, url);
  const what = 'reading changed opportunities (change tracking)';
  if (requests.length === 1) return deps.client.get<ODataPage>(what, url, { prefer: trackingPrefer(deps.pageSize) });
  const { answers, date } = await getEach<unknown>(deps.client, what, requests);
  return acceptTrackingAnswers(deps, answers, date);
}

function answerOf(first: FirstTrackingAnswer): TrackingResponse {
  if (!first.ok) throw first.error;
  return { data: first.body as ODataPage, headers: first.date ? { date: first.date } : {} };
}

function headerDate(headers: unknown): string | undefined {
  const value = (headers as Record<string, unknown> | undefined)?.date;
  return typeof value === 'string' ? value : undefined;
}

/** Starts change tracking afresh, reading only IDs, to get a delta link for after a fallback. */
async function rearm(deps: FeedDeps): Promise<{ link: string; issuedAt: string }> {
  const issuedAt = deps.now().toISOString();
  let url: string | undefined = TRACKING_QUERY;
  for (;;) {
    const page: ODataPage = (await deps.client.get<ODataPage>('starting change tracking again', url, { prefer: ['odata.track-changes', 'odata.maxpagesize=5000'] })).data;
    if (page['@odata.deltaLink']) return { link: apiRelativeLink(page['@odata.deltaLink']), issuedAt };
    url = page['@odata.nextLink'];
    if (!url) throw new ConnectorError('dataverse_failed', 'Change tracking on opportunity returned neither a next link nor a delta link.');
  }
}

async function* watermarkPages(deps: FeedDeps, start: WatermarkCursor): AsyncGenerator<FeedPage> {
  // An opened listing learns nothing here: the pages are read when the engine asks for them.
  await announceOnce(deps.listing, undefined);
  const ctx = await deps.context();
  let url: string | null = start.link ?? watermarkQuery(start.since, ctx.fields, ctx.names);
  let mark: string | null = start.since;
  while (url) {
    const page: ODataPage = (await deps.client.get<ODataPage>('reading changed opportunities (modifiedon watermark)', url, { prefer: [`odata.maxpagesize=${deps.pageSize}`, FORMATTED_VALUES] })).data;
    const openButClosed: OpenButClosed[] = [];
    const known = await contextFor(page.value, ctx);
    const all = page.value.map((raw) => withStatedClose(raw, known, openButClosed));
    await markUnfinishedCloses(deps.client, openButClosed);
    mark = latest(mark, all[all.length - 1]?.modifiedAt);
    await deps.known?.prepare(all.map((d) => d.crmId));
    const deals = all.filter((d) => !d.etag || !deps.known?.isKnown(d.crmId, d.etag));
    const handedOn = new Set(deals.map((d) => d.crmId));
    await deps.customerReads?.read(page.value.filter((raw) => handedOn.has(String(raw.opportunityid))));
    const next = page['@odata.nextLink'] ?? null;
    const cursor: DeltaCursor | WatermarkCursor = next
      ? { ...start, link: apiRelativeLink(next) }
      : { mode: 'delta', link: start.resumeLink, issuedAt: start.resumeIssuedAt, watermark: mark };
    yield { deals, deletedIds: [], cursor, last: next === null };
    url = next;
  }
}

async function* fallback(deps: FeedDeps, since: string, reason: string): AsyncGenerator<FeedPage> {
  // The guess answered a listing that failed: none of its rows is used, and a fallback may run long.
  deps.speculated?.release();
  // Started again (and its first page read) only when the engine asks for the pages: after its own writes.
  await announceOnce(deps.listing, undefined);
  deps.logger.warn(
    { since, reason },
    `Dynamics 365 change tracking cannot continue (${reason}); falling back to a modifiedon watermark query from ${since}. That query lists no deletions: the first page says so, and the engine checks which linked opportunities still exist.`,
  );
  const resume = await rearm(deps);
  let first = true;
  for await (const page of watermarkPages(deps, { mode: 'watermark', since, link: null, resumeLink: resume.link, resumeIssuedAt: resume.issuedAt })) {
    yield first ? { ...page, deletionsIncomplete: true } : page;
    first = false;
  }
}

/** The opportunity change feed; `first` is the answer to {@link firstTrackingUrl} when the caller fetched it. */
export async function* readChanges(deps: FeedDeps, cursor: CrmCursor | undefined, first?: FirstTrackingAnswer): AsyncGenerator<FeedPage> {
  if (!cursor) {
    const pages = tracked(deps, TRACKING_QUERY, deps.now().toISOString(), null, first);
    first = undefined; // held by the pages only, which let it go once read
    yield* pages;
    return;
  }
  if (cursor.mode === 'watermark') {
    yield* watermarkPages(deps, cursor as unknown as WatermarkCursor);
    return;
  }
  const delta = cursor as unknown as DeltaCursor;
  const since = delta.watermark ?? new Date(Date.parse(delta.issuedAt) - WATERMARK_MARGIN_MS).toISOString();
  const ageMs = expiredAgeMs(cursor, deps.now().getTime());
  if (ageMs !== undefined) {
    yield* fallback(deps, since, `the delta token is ${Math.floor(ageMs / DAY_MS)} days old, past its ${CHANGE_TRACKING_DAYS}-day life`);
    return;
  }
  const pages = tracked(deps, delta.link, delta.issuedAt, delta.watermark, first);
  first = undefined;
  try {
    for (;;) {
      const next = await pages.next();
      if (next.done) return;
      yield next.value;
    }
  } catch (error) {
    if (!isExpiredToken(error)) throw error;
    yield* fallback(deps, since, 'Dataverse refused the delta token as expired');
  }
}
