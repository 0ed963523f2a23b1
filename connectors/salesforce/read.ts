/**
 * Reading opportunities: the change feed and re-reads by ID. Calls grow with pages, not records: one
 * opportunity query batch per page (2,000 rows: the connector-kept long text fields are read apart,
 * long-text-apart.ts), then one Composite call whose subrequests fetch the page's primary contact roles, team
 * members, solutions, invitations and those fields with semi-joins on the page's window (page-related.ts),
 * plus one more per round of continuations. The listing's next batch rides in the related call of the last
 * page the buffer holds when that call has room; else the batches come three a Composite call
 * (listing-more.ts). Reads by ID: deals-by-id.ts. Opened early with the engine's own records to read, the
 * listing's first query reads them too, and its rows complete (folded-listing.ts). Rows into deals: read-deals.ts.
 */
import { silentLogger, type Logger } from '../../core/logger.js';
import type { CrmChangePage, CrmCursor, CrmDeal, KnownVersions, RelatedRowIndex } from '../../core/engine/crm-port.js';
import { dealVersion, type SfRecord } from './assemble.js';
import { recordIds, type LazyContext } from './lazy-context.js';
import { queryBatchSize, type SalesforceClient } from './client.js';
import { isExpiredLocator } from './errors.js';
import { readPageRelated, type PageRelated } from './page-related.js';
import { DeletionFeed, deletionsGap } from './deletion-feed.js';
import { firstRound } from './first-round.js';
import { listedVersionOf, listingFields, opportunityVersionMemo } from './long-text-apart.js';
import { ReadDeals } from './read-deals.js';
import { anchorAfterRun, anchorOf, cursorToPosition, positionOf, unseenChanges, windowFrom, withoutAnchor } from './feed-window.js';
import { latestByParent, type RelatedChange } from './related-changes.js';
import { ListingScope } from './listing-scope.js';
import { opportunityFields } from './opportunity-fields.js';
import { changesQuery, laterPosition, windowCondition, type FeedPosition } from './soql.js';
import { datedByChange, laterInstant, mergeLatestChanges } from '../latest-change.js';
import { readStraightThrough, type AnnounceToRead, type EngineReads } from '../change-listing.js';
import { foldOf, readFolded, relatedFold } from './folded-listing.js';
import { moreBatches } from './listing-more.js';
export class SalesforceReader {
  private readonly deals: ReadDeals;
  private readonly deletionFeed: DeletionFeed;
  /** Records the writer saw change between the engine's read and its write: read again next run (feed-window.ts). */
  readonly recheck = new Set<string>();

  constructor(
    private readonly client: SalesforceClient,
    private readonly pageSize: number,
    /** Related row → opportunity, so that a deleted related row leads back to its opportunity. */
    index: RelatedRowIndex,
    private readonly now: () => number,
    log: Logger = silentLogger(),
    /** How far before the stored watermark a new run starts reading again (see readChanges). */
    private readonly rereadMs = 300_000,
  ) {
    this.deletionFeed = new DeletionFeed(client, index, log);
    this.deals = new ReadDeals(client, index);
  }

  /** The StageName last read per opportunity, so that a stage write-back does not replace an equivalent stage. */
  get lastStage(): Map<string, string> {
    return this.deals.lastStage;
  }

  /** Records read without a referral ID that hold copied write-backs (a clone), by ID: see `copiedWriteBacks`. */
  get copies(): Map<string, string[]> {
    return this.deals.copies;
  }

  /** Salesforce's time now (signed in first, so a new process knows it before its first query), else this machine's. */
  private async serverNow(): Promise<number> {
    await this.client.connection();
    return this.client.serverNowMs() ?? this.now();
  }

  /**
   * A page of the listing: `chunk` sets the window, `toRead` (the rows the engine does not hold) is read in
   * full, or taken from what the engine read after the listing's first call when the version is the one listed.
   */
  private async buildPage(chunk: SfRecord[], toRead: SfRecord[], from: FeedPosition | undefined, context: LazyContext, narrow: string | undefined, engineReads: EngineReads | undefined, versionOf: (row: SfRecord) => string, nextRecordsUrl?: string): Promise<{ page: CrmChangePage; next?: PageRelated['next'] }> {
    const to = positionOf(chunk[chunk.length - 1]!);
    const cursor = { modstamp: to.modstamp, id: to.id };
    if (toRead.length === 0) return { page: { deals: [], deletedIds: [], cursor } };
    if (engineReads) {
      const taken = toRead.map((r) => engineReads.get(r.Id)).filter((d, i): d is CrmDeal => d !== undefined && d.etag === dealVersion(toRead[i]!, versionOf));
      if (taken.length > 0) return { page: { deals: await this.deals.takenOrRead(toRead.map((r) => r.Id), new Map(taken.map((d) => [d.crmId, d])), context), deletedIds: [], cursor } };
    }
    // The related rows of the page's window, narrowed as the listing was (feed-window.ts: the connector's own
    // writes left out): after a bulk write-back the window's stamps span every opportunity, and without the
    // listing's condition a page of 500 seller edits fetched the related rows of all 50,000 deals.
    // An opportunity edited after the page was read has left the window; its related rows were not
    // fetched, so it is left out (`current`) and comes back, complete, on a later page.
    // The listing's next batch rides along when the call has room (page-related.ts).
    const { related, next } = await readPageRelated(this.client, narrow ? `${windowCondition(from, to)} AND (${narrow})` : windowCondition(from, to), toRead, nextRecordsUrl);
    // Each row completed from a listed one is versioned as that one was (long-text-apart.ts `listedVersionOf`).
    return { page: { deals: await this.deals.assemble(related.current, related, context, listedVersionOf(toRead, versionOf)), deletedIds: [], cursor }, ...(next ? { next } : {}) };
  }

  /**
   * A run starts where the last complete listing's server-anchored window says (feed-window.ts), or, for
   * a cursor written before windows had an anchor, `rereadMs` before the stored watermark: SystemModstamp
   * has one-second precision and a transaction still in flight when the last run read can commit with a
   * stamp before that run's watermark; re-reading that short window catches both. An interrupted listing
   * resumes near where it stopped (the later of the two). Rows the engine holds already (`known`) cost
   * nothing beyond being listed; the cursor handed back never moves backwards.
   */
  async *readChanges(cursor: CrmCursor | undefined, context: LazyContext, known?: KnownVersions, announce: AnnounceToRead = readStraightThrough, alsoRead: readonly string[] = []): AsyncGenerator<CrmChangePage> {
    const fields = opportunityFields(context);
    // The plain listing leaves the connector-kept long text fields to each page's related call (long-text-apart.ts).
    const plain = listingFields(fields);
    const resumeAt = cursorToPosition(cursor);
    const anchor = anchorOf(cursor);
    const versionRun = await this.deals.versions.begin(anchor.versionRun);
    const window = windowFrom(anchor, this.rereadMs);
    const relatedThroughBefore = typeof cursor?.relatedThrough === 'string' ? cursor.relatedThrough : undefined;
    // The later of: the stored position (less the margin), and the anchored window's start.
    const fromPosition = resumeAt && this.rereadMs > 0 ? { modstamp: new Date(Date.parse(resumeAt.modstamp) - this.rereadMs).toISOString(), id: '' } : resumeAt;
    let from: FeedPosition | undefined = fromPosition && window ? laterPosition(fromPosition, { modstamp: window.since, id: '' }) : fromPosition;
    // Deletions older than getDeleted keeps cannot be listed: read every opportunity, as a first run does, and
    // the engine checks which linked records are gone (deletionsIncomplete). The cursor still never moves back.
    const deletionsSince = typeof cursor?.deletedThrough === 'string' ? cursor.deletedThrough : resumeAt?.modstamp;
    // getDeleted's window ends at Salesforce's time, which also says what it still keeps: a window ended by
    // this machine's clock was refused, run after run, when the two clocks were 15 days apart.
    const nowMs = await this.serverNow();
    const gap = resumeAt !== undefined && deletionsSince !== undefined && deletionsGap(deletionsSince, nowMs);
    const relatedSince = !resumeAt ? undefined : window ? from!.modstamp : new Date(Math.max(Date.parse(relatedThroughBefore ?? resumeAt.modstamp), Date.parse(resumeAt.modstamp)) - this.rereadMs).toISOString();
    if (gap) from = undefined;
    // The records the engine asked for ride in the listing's query when they can (folded-listing.ts).
    const fold = gap ? undefined : foldOf(recordIds(alsoRead), from, window, this.pageSize);
    // A resumed run's listing also lists the opportunities whose account changed (account-changes.ts); its
    // plain queries leave the connector-kept long text fields to each page's related call (long-text-apart.ts).
    const scope = new ListingScope(fields, from, window, relatedSince, gap);
    const listing = scope.first(fold);
    const round = await firstRound(this.client, this.deletionFeed, {
      listing,
      rider: context.stageRider?.(),
      ...(resumeAt ? { resumed: { relatedSince: relatedSince!, ...(window?.related && window.own ? { relatedCondition: window.related, own: window.own } : {}), deletionsSince: deletionsSince!, nowMs, ...(fold ? { fold: relatedFold(fold) } : {}) } } : {}),
    });
    // The server's time when this listing began (as of the first call's answer, not of a call that asked its
    // related queries again): the next window is anchored to it once the listing is read to its end.
    const readAt = round.readAt ?? this.client.lastServerTime();
    const deleted = { ids: round.deletions?.opportunityIds ?? [], parents: round.deletions?.changedParents ?? new Map<string, string>(), through: round.deletions?.through, gap: gap || round.deletions?.gap === true };
    const goOn = async (at: FeedPosition) => { const result = await this.client.query<SfRecord>(scope.after(at), this.pageSize); return { result, ...scope.split(result.records) }; };
    const folded = fold && !deleted.gap ? await readFolded(this.client, listing, round.listing, fold, fields, scope.watch, goOn, round.foldRows) : undefined;
    const firstBatch = scope.firstBatch(round.listing, folded);
    round.related.push(...firstBatch.changes);
    let listed = firstBatch.listed;
    // Salesforce's answer showed a gap the cursor could not (a refused window, a purged delete log): the
    // listing starts again from the first opportunity, as it does after a pause.
    if (deleted.gap && !gap) {
      from = undefined;
      listed = await this.client.query<SfRecord>(changesQuery(plain, undefined), this.pageSize);
    }
    // Related rows changed since the last run (they do not move the opportunity's own SystemModstamp), less
    // those whose version the engine already processed, for deals it holds settled (related-versions.ts), and
    // those of deals whose related rows it ignores now (during a Partner Center outage).
    const unseen = async (changes: readonly RelatedChange[]) => {
      await known?.prepare(changes.map((c) => c.parentId));
      return latestByParent(unseenChanges(changes, await this.deals.versions.known(changes.map((c) => c.key)), known?.isSettled?.bind(known), known?.ignoresRelatedRows?.bind(known)));
    };
    const changed = await unseen(round.related);
    let relatedThrough = window ? undefined : relatedThroughBefore;
    if (!window) for (const when of changed.values()) relatedThrough = laterInstant(relatedThrough, when);
    // Deals whose related rows were deleted are read again like those whose related rows changed.
    mergeLatestChanges(changed, deleted.parents);
    const bump = (deals: CrmDeal[]) => {
      for (const d of deals) {
        datedByChange(d, changed.get(d.crmId));
        changed.delete(d.crmId);
      }
      return deals;
    };
    // Listed rows the engine holds already, unless their related rows changed: not read any further.
    // After a deletion gap every deal is read in full: a related row deleted in the gap changed no version.
    // Each listed row's version once, however often it is asked for below (row-version.ts).
    const versionOf = opportunityVersionMemo();
    const unknown = async (rows: SfRecord[]) => {
      if (!known || deleted.gap) return rows;
      await known.prepare(rows.map((r) => r.Id));
      // The deal's version of the row (assemble.ts `dealVersion`), which the engine stored: a clone's is its own copy's.
      return rows.filter((r) => changed.has(r.Id) || !known.isKnown(r.Id, dealVersion(r, versionOf)));
    };
    // The first call is read: when its one answer listed every change, the engine learns what the pages will read.
    const toRead = listed.done && !deleted.gap ? [...new Set([...(await unknown(listed.records)).map((r) => r.Id), ...changed.keys()])] : undefined;
    const engineReads = await announce(toRead, folded && (await this.deals.readAlong(folded, toRead, context)));
    let first = true;
    // The deletion window moves on only with the run's last page of deals: the deals whose related rows were
    // deleted come in that page (or the pages just before it), so a run killed after an earlier page committed
    // would otherwise have moved the next window past deletions whose deals it never handed over (lost for
    // good: their opportunities did not change). The pages before it keep this run's start: its deletions are
    // listed again, and the related-row index still knows their rows (kept 16 days).
    const deletedThrough = (final: boolean) => (final ? deleted.through : resumeAt ? deletionsSince : undefined);
    const finish = (page: CrmChangePage, final = false): CrmChangePage => {
      const last = cursorToPosition(page.cursor);
      const position = last && resumeAt ? laterPosition(last, resumeAt) : (last ?? resumeAt);
      const through = deletedThrough(final);
      const out: CrmChangePage = {
        ...page,
        deletedIds: first ? deleted.ids : [],
        ...(first && deleted.gap ? { deletionsIncomplete: true } : {}),
        cursor: {
          ...(position ? { modstamp: position.modstamp, id: position.id } : {}),
          ...(through ? { deletedThrough: through } : {}),
          ...(relatedThrough ? { relatedThrough } : {}),
          ...anchor,
        },
      };
      first = false;
      return out;
    };
    // The last page is held back so that deals changed only through related rows can join it; a page with
    // more of the listing after it is handed on at once (holding each page until the next one was read
    // kept two pages of 2,000 deals in memory).
    let held: CrmChangePage | undefined;
    let listedTo: FeedPosition | undefined;
    let result = listed;
    // A folded listing cut at its limit has no locator: it goes on with the plain query after its last row.
    let cut = folded?.cut;
    const buffer: SfRecord[] = [...result.records];
    /** The listing's next batch, read along with the related call of the last page the buffer held (page-related.ts). */
    let next: PageRelated['next'];
    for (;;) {
      while (buffer.length >= this.pageSize || (result.done && buffer.length > 0)) {
        const chunk = buffer.splice(0, this.pageSize);
        const along = !next && !result.done && buffer.length < this.pageSize ? result.nextRecordsUrl : undefined;
        const built = await this.buildPage(chunk, await unknown(chunk), from, context, deleted.gap ? undefined : window?.opportunities, engineReads, versionOf, along);
        const page = built.page;
        next ??= built.next;
        bump(page.deals);
        from = listedTo = positionOf(chunk[chunk.length - 1]!);
        if (buffer.length > 0 || !result.done) yield finish(page);
        else held = page;
      }
      if (result.done || !(result.nextRecordsUrl || cut)) break;
      try {
        // The batch read along with a page's related call, else up to three batches a call (listing-more.ts),
        // each handed on below as Query More's would have been.
        const along = next;
        next = undefined;
        if (along instanceof Error) throw along;
        result = along ?? (result.nextRecordsUrl ? await moreBatches(this.client, result, queryBatchSize(this.pageSize)) : await this.client.query<SfRecord>(scope.after(cut), this.pageSize));
        cut = undefined;
      } catch (error) {
        // A locator expires (Salesforce keeps one two days after its query, fewer when many are open): start a
        // new query where this one stopped.
        if (!isExpiredLocator(error)) throw error;
        // The new query starts after the last record handed out, so what is still buffered comes again.
        buffer.length = 0;
        result = await this.client.query<SfRecord>(deleted.gap ? changesQuery(plain, from) : scope.after(listedTo), this.pageSize);
      }
      if (deleted.gap && !gap) buffer.push(...result.records);
      else {
        // A later batch: its rows of the listing's window, and the accounts changed among all of them.
        const batch = scope.split(result.records);
        mergeLatestChanges(changed, await unseen(batch.changes));
        buffer.push(...batch.listed);
      }
    }
    const extra = changed.size ? bump(await this.deals.takenOrRead([...changed.keys()], engineReads, context)) : [];
    const at = listedTo ?? resumeAt;
    const emptyPage = (): CrmChangePage => ({ deals: [], deletedIds: [], cursor: at ? { modstamp: at.modstamp, id: at.id } : {} });
    let page = held ?? emptyPage();
    for (const deal of extra) {
      if (page.deals.length >= this.pageSize) {
        yield finish(page);
        page = emptyPage();
      }
      page.deals.push(deal);
    }
    // Even with nothing changed a page is handed back: the deletion window has moved.
    const last = finish(page, true);
    yield { ...last, writesBeforeNext: true };
    // The engine has now written what this run's pages asked for (`writesBeforeNext`): the next window leaves
    // those writes out. The Date header is whole seconds, cut down: writes of ours in that last second stay in
    // the next window (read again, at a small cost), and so does any write of the next run, however soon.
    const after = anchorAfterRun({ readAt, ownThrough: this.client.lastServerTime(), userId: this.client.userId(), recheck: this.recheck, versionRun });
    this.deals.versions.end();
    this.recheck.clear();
    yield { deals: [], deletedIds: [], cursor: { ...withoutAnchor(last.cursor), ...after } };
  }

  /** The opportunities with these IDs, in the order asked: one Composite call per 1,000 IDs (read-deals.ts). */
  getDeals(ids: readonly string[], context: LazyContext): Promise<CrmDeal[]> {
    return this.deals.getDeals(ids, context);
  }
}
