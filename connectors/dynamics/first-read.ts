/**
 * The first run's read when the CRM holds more than one change-tracking page (issue 13).
 *
 * Why: a first run that pages a change-tracking listing lists, under Dataverse's dynamic paging, the
 * connector's own write-backs again on the listing's later pages (they are newer than the rows still to
 * come), and the delta link, when it holds the first page's version, lists them once more in the next run:
 * at 50,000 outbound deals 10 pages twice. Change tracking refuses `$filter`, so no request leaves them out
 * (use-change-tracking-synchronize-data-external-systems). So a first run of several pages reads the rows
 * with a plain expanded query (`$orderby=opportunityid`, `odata.maxpagesize`, next links: page-results),
 * no tracking: the read itself lists nothing twice and needs no `$expand` re-read. Change tracking is
 * started after it, when the engine has taken every page: by then it has written what those pages asked
 * (its write buffer sends a full `$batch` before it takes the next page), so the listing that gets the
 * delta link sees the write-backs once, and the next delta sees only what comes after. A first listing of
 * a single page keeps change tracking from the start, as before (one call: nothing is listed twice), and takes
 * each listed row from the plain read asked after it in the same `$batch` when the row is at the listed version
 * (feed-run.ts, as the first call's guess of a later run is taken: speculative-read.ts); any other row is read
 * after the listing, as a tracking page's rows are.
 *
 * Correctness of the window between the plain read and the delta link (a seller's edit, create or delete
 * made while the rows were read, the engine wrote, or the listing was paged):
 * - a change-tracking listing without a token names every row that exists, at its current version
 *   ("all new or updated records", same page). A row it names at a version neither read here nor known to
 *   the engine (the link's version: its last read or its own conditional write) changed after the read, so
 *   it is read in full and handed on, like any changed row of a listing. Rows created meanwhile are unknown.
 * - a row edited while the listing itself is paged is named on a later page, by the next delta, or both,
 *   depending on the reading (sandbox README, "Change tracking while a listing is paged"), as for any listing.
 * - deletions: a listing without a token names no deleted rows. A row this read handed on that the listing
 *   did not name was deleted, or (under a snapshot reading) changed before the listing reached it; which is
 *   asked (missing-opportunities.ts, usually nothing to ask: no call) and the deleted ones are handed on as
 *   deletions with the listing's last page; the changed ones come with the next delta.
 * - a run stopped before the listing's delta link keeps the cursor `{mode: 'listing'}`: the next run lists
 *   afresh (every row, changed ones read in full) and says its deletions are incomplete, so the engine asks
 *   which linked opportunities are gone (`missingIds`): what this run read is no longer in memory.
 * The rows read here that the engine did not link (opportunities that are not co-sell deals) are known here
 * by their version, so the listing reads none of them again; a resumed listing (above) does read them.
 * Cost: the read's pages + the listing's pages (every row, IDs only) + the writes; the run after lists only
 * what changed since the listing began (what the engine still held in its write buffer then: under 1,000 rows).
 * UNVERIFIED: that a live environment pages an expanded query with collection-valued `$expand` at 5,000 rows
 * (the watermark fallback, change-feed.ts, makes the same assumption).
 */
import type { CrmCursor, CrmDeal, KnownVersions } from '../../core/engine/crm-port.js';
import type { DataverseClient } from './client.js';
import { tracked, watermarkAfterRead, type FeedDeps, type FeedPage, type FirstTrackingAnswer } from './change-feed.js';
import { announceOnce } from './opened-listing.js';
import type { GetAnswer } from './batch-reads.js';
import { inEnginePages } from './engine-pages.js';
import { dealsOf } from './hydrate.js';
import { FORMATTED_VALUES, type ODataPage } from './pages.js';
import { opportunityExpand, opportunitySelect, query, TRACKING_QUERY } from './queries.js';
import type { RawRow, ReadContext } from './records.js';
import type { DynamicsFieldRow } from '../../mappings/fields.dynamics.js';
import type { ConnectorNames } from './schema-names.js';
import type { HydrateDeps } from './hydrate.js';
import { missingOpportunities } from './missing-opportunities.js';

/** The cursor of a run that has no delta link yet: the next run lists afresh and checks deletions. */
export const LISTING_MODE = 'listing';
export type ListingCursor = { mode: typeof LISTING_MODE; issuedAt: string; watermark: string | null };

/** Key order: a unique, stable order, so that a row is on one page of the read (page-results, "Ordering and paging"). */
export const FIRST_READ_ORDER = 'opportunityid asc';

/** The plain read: every opportunity with its related rows, as `hydrate.ts` reads them. Pure. */
export function firstReadQuery(fields: readonly DynamicsFieldRow[], names: ConnectorNames): string {
  return query('opportunities', { $select: opportunitySelect(fields), $expand: opportunityExpand(fields, names), $orderby: FIRST_READ_ORDER });
}

export const firstReadPrefer = (pageSize: number): string[] => [`odata.maxpagesize=${pageSize}`, FORMATTED_VALUES];

/** Whether a first tracking answer is the whole listing (no next link): then change tracking is kept from the start. Pure. */
export const isWholeListing = (body: unknown): boolean => !(body as { '@odata.nextLink'?: unknown } | undefined)?.['@odata.nextLink'];

/**
 * The versions the plain read handed on, with the engine's, for the listing after it: a listed row at
 * either version is not read again. Also notes every row the listing names: `prepare` is where each listed
 * page's rows pass (change-feed.ts, `unknownIds`), so the rows read but never named are the ones to check.
 */
export class ReadVersions implements KnownVersions {
  private readonly read = new Map<string, string>();
  private readonly named = new Set<string>();
  constructor(private readonly engine: KnownVersions | undefined) {}

  remember(rows: readonly RawRow[]): void {
    for (const row of rows) if (typeof row['@odata.etag'] === 'string') this.read.set(String(row.opportunityid).toLowerCase(), row['@odata.etag']);
  }

  async prepare(crmIds: readonly string[]): Promise<void> {
    for (const id of crmIds) this.named.add(id.toLowerCase());
    await this.engine?.prepare(crmIds);
  }

  isKnown(crmId: string, version: string): boolean {
    return this.read.get(crmId.toLowerCase()) === version || (this.engine?.isKnown(crmId, version) ?? false);
  }

  isSettled(crmId: string): boolean {
    return this.engine?.isSettled?.(crmId) ?? false;
  }

  /**
   * Rows the read handed on or the listing named that no longer exist. Not only the rows the listing did not
   * name: a row named on an early page of this tokenless listing and deleted before its last page is in no
   * answer (a listing without a token names no deletions, and a token taken at the last page starts after
   * the deletion: the `last-page` reading). One IN query per 250 IDs, all in one `$batch` (a call per
   * 250,000 rows).
   */
  async goneSinceRead(client: DataverseClient): Promise<string[]> {
    return missingOpportunities(client, [...new Set([...this.read.keys(), ...this.named])]);
  }
}

export interface FirstReadDeps extends HydrateDeps {
  known?: KnownVersions;
  pageSize: number;
}

/** A page of the read, its raw rows let go: the deals, and the next link. */
async function readPage(deps: FirstReadDeps, raw: ODataPage<RawRow>, context: () => Promise<ReadContext>, versions: ReadVersions): Promise<{ deals: CrmDeal[]; next?: string }> {
  const all = await dealsOf(deps, raw.value, await context());
  versions.remember(raw.value);
  await deps.known?.prepare(all.map((d) => d.crmId));
  const deals = all.filter((d) => !d.etag || !deps.known?.isKnown(d.crmId, d.etag));
  const next = raw['@odata.nextLink'];
  return { deals, ...(next ? { next } : {}) };
}

/** An answer the feed takes once and lets go: a generator keeps its arguments for as long as it runs. */
export type Held = { body?: unknown };

const take = (held: Held): ODataPage<RawRow> => {
  const body = held.body as ODataPage<RawRow>;
  delete held.body;
  return body;
};

/**
 * The plain read's pages, from the first one the run's first `$batch` brought; each as a feed page with
 * `cursor` (not the run's last). Rows are noted in `versions` as they are handed on. Each page's raw rows
 * (5,000 rows with their related rows: tens of MB once parsed) are gone before the engine gets its deals.
 */
export async function* firstReadPages(deps: FirstReadDeps, first: Held, context: () => Promise<ReadContext>, versions: ReadVersions, cursor: CrmCursor): AsyncGenerator<FeedPage> {
  let page = await readPage(deps, take(first), context, versions);
  for (;;) {
    const next = page.next;
    yield { deals: page.deals, deletedIds: [], cursor, last: false };
    if (!next) return;
    const raw = { body: (await deps.client.get<ODataPage<RawRow>>('reading every opportunity (first run, next page)', next, { prefer: firstReadPrefer(deps.pageSize) })).data };
    page = await readPage(deps, take(raw), context, versions);
  }
}

/**
 * The first run of several pages: the plain read, then the change-tracking listing that gets the delta link
 * (module comment). Every page before the listing's last keeps the `listing` cursor.
 */
async function* readThenList(deps: FeedDeps, plain: Held): AsyncGenerator<FeedPage> {
  const issuedAt = deps.now().toISOString();
  const cursor: ListingCursor = { mode: LISTING_MODE, issuedAt, watermark: watermarkAfterRead(undefined, null, issuedAt) };
  let ctx: ReadContext | undefined;
  const context = async () => (ctx ??= await deps.context());
  const versions = new ReadVersions(deps.known);
  // An opened listing learns nothing here: the engine reads what it needs itself (as during a fallback).
  await announceOnce(deps.listing, undefined);
  for await (const page of firstReadPages(deps, plain, context, versions, cursor)) yield* inEnginePages(page, cursor);
  // The engine took every page of the read: what they asked is written (or at most a `$batch` of it still buffered).
  for await (const page of tracked({ ...deps, known: versions }, TRACKING_QUERY, deps.now().toISOString(), cursor.watermark)) {
    if (!page.last) {
      // A page of rows read already (the usual page here) has nothing for the engine: its cursor is the one it holds.
      if (page.deals.length || page.deletedIds.length) yield { ...page, cursor };
      continue;
    }
    const gone = await versions.goneSinceRead(deps.client);
    yield { ...page, deletedIds: [...page.deletedIds, ...gone] };
  }
}

/**
 * A run after one stopped before its delta link: a fresh listing, its deletions checked by the engine. Every
 * page before its last keeps the `listing` cursor, so a run stopped again checks deletions again: the
 * tracking cursors (a next link, or the fresh start among the first page's engine pages) continue or restart a
 * tokenless listing, which names no deleted row (a deal deleted after this run's check was never handed on).
 */
async function* listAfresh(deps: FeedDeps, cursor: ListingCursor, first: FirstTrackingAnswer | undefined): AsyncGenerator<FeedPage> {
  let firstPage = true;
  for await (const page of tracked(deps, TRACKING_QUERY, deps.now().toISOString(), cursor.watermark, first)) {
    const kept = page.last ? page : { ...page, cursor };
    yield firstPage ? { ...kept, deletionsIncomplete: true } : kept;
    firstPage = false;
  }
}

/**
 * The feed of a first run whose first tracking page is not the whole listing (when the plain read's first
 * page came with it), or of a run after a `listing` cursor; undefined for every other run (change-feed.ts
 * `readChanges`). `tracking`/`plain`: the answers of the run's first `$batch`.
 */
export function firstListingFeed(deps: FeedDeps, cursor: CrmCursor | undefined, tracking: FirstTrackingAnswer | undefined, plain: GetAnswer<unknown> | undefined): AsyncGenerator<FeedPage> | undefined {
  if (cursor?.mode === LISTING_MODE) return listAfresh(deps, cursor as unknown as ListingCursor, tracking);
  if (cursor || !tracking?.ok || isWholeListing(tracking.body) || !plain?.ok) return undefined;
  return readThenList(deps, { body: plain.body });
}
