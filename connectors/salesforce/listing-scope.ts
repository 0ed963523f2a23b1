/**
 * One run's listing (read.ts): its queries, first and continued, and how its rows are told from those that
 * came only for their account (account-changes.ts). A resumed run watches the accounts; a run without a
 * start (the first, or one after a deletion gap) lists every opportunity, and every row is the listing's.
 */
import type { SfRecord } from './assemble.js';
import { accountWatch, listingQuery, type AccountWatch } from './account-changes.js';
import type { FeedWindow } from './feed-window.js';
import type { QueryResult } from './client.js';
import { foldedQuery, splitListing, type Fold, type FoldedAnswer } from './folded-listing.js';
import { listingFields } from './long-text-apart.js';
import type { RelatedChange } from './related-changes.js';
import type { FeedPosition } from './soql.js';

export class ListingScope {
  readonly watch: AccountWatch | undefined;
  /** The condition leaving the connector's own writes out (feed-window.ts), if any. */
  readonly narrow: string | undefined;
  /** The listing's own window, when it has a start. */
  readonly start: Pick<Fold, 'from' | 'narrow'> | undefined;
  /** The plain listing's select: without the long text fields each page's related call reads (long-text-apart.ts). */
  private readonly plain: readonly string[];

  /** `relatedSince`: a resumed run's related-change window start; `gap`: a deletion gap the cursor shows. */
  constructor(
    private readonly fields: readonly string[],
    from: FeedPosition | undefined,
    window: FeedWindow | undefined,
    relatedSince: string | undefined,
    gap: boolean,
  ) {
    this.watch = relatedSince ? accountWatch(fields, relatedSince) : undefined;
    this.plain = listingFields(fields);
    this.narrow = gap ? undefined : window?.opportunities;
    this.start = from && { from, ...(this.narrow && window?.own ? { narrow: { soql: this.narrow, own: window.own } } : {}) };
  }

  /** The first query: plain, or with the engine's records folded in (folded-listing.ts: complete rows, every field). */
  first(fold: Fold | undefined): string {
    return fold ? foldedQuery(this.fields, fold, this.watch) : listingQuery(this.plain, this.start?.from, this.narrow, this.watch);
  }

  /** The listing after `position` (a cut, or a new start after an expired locator); from its start without one. */
  after(position: FeedPosition | undefined): string {
    return listingQuery(this.plain, this.start?.from, this.narrow, this.watch, position);
  }

  /** The first batch's own rows and account changes: as the folded read told them apart, or split here. */
  firstBatch(answer: QueryResult<SfRecord>, folded: FoldedAnswer | undefined): { listed: QueryResult<SfRecord>; changes: RelatedChange[] } {
    if (folded) return { listed: folded.listed, changes: folded.accountChanges };
    const { listed, changes } = this.split(answer.records);
    return { listed: { ...answer, records: listed }, changes };
  }

  /** A batch of the listing's query: its own rows, and the accounts changed among all of them. */
  split(rows: readonly SfRecord[]): { listed: SfRecord[]; changes: RelatedChange[] } {
    return splitListing(rows, this.watch, this.start);
  }
}
