/**
 * How the opportunity feed's pages reach the engine. A tracking page holds up to 5,000 rows and is read in
 * one call, but the engine keeps a page's pairs, links and merged referrals until the page's writes are
 * committed (heap snapshot at 25,000 deals, late in a 5,000-deal page: most of a 93 MB live heap), so it
 * gets them {@link ENGINE_PAGE_DEALS} at a time, one full `$batch` of writes each.
 */
import type { CrmCursor } from '../../core/engine/crm-port.js';
import type { FeedPage } from './change-feed.js';

/** Deals handed to the engine per page: a Dataverse `$batch` of writes holds 1,000 operations. */
export const ENGINE_PAGE_DEALS = 1000;

/**
 * A read page as engine pages of `size` deals: all but the last keep `before` as their cursor (a run stopped
 * among them reads the whole page again, and what was committed comes back as known versions), the first
 * carries the deletions, the last the page's own cursor. The deals are taken out of `page` as they are
 * handed on, so that the feed does not keep the ones the engine is done with.
 */
export function* inEnginePages(page: FeedPage, before: CrmCursor, size = ENGINE_PAGE_DEALS): Generator<FeedPage> {
  const deals = page.deals;
  let deletedIds = page.deletedIds;
  while (deals.length > size) {
    yield { deals: deals.splice(0, size), deletedIds, cursor: before, last: false };
    deletedIds = [];
  }
  yield { ...page, deals: deals.splice(0), deletedIds };
}
