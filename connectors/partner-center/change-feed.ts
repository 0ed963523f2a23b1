/**
 * The change feed the sync engine polls: referrals updated since a watermark, oldest first, one page at
 * a time, with the cursor to checkpoint after each page.
 *
 * - The watermark is the service's own `updatedDateTime` of the newest referral delivered, never our
 *   clock, so clock skew between us and Partner Center cannot lose changes.
 * - Each run starts `overlapMs` before the watermark and re-reads the boundary: an update committed a
 *   moment late, with a timestamp just below the watermark, is still seen (peers.md §6 item 3).
 * - What the overlap re-reads is dropped by de-duplication: the cursor remembers the version
 *   (`updatedDateTime` + `eTag`) of each referral delivered inside the overlap window, looked up by id
 *   (delivered-versions.ts). A page's checkpoint carries the versions of that page only; the listing's
 *   last page carries every version the next window can re-read. After a bulk change the window holds
 *   the whole bulk, and writing all of it with each page's checkpoint made the read-back quadratic
 *   (issue 13: 28 s of cursor serialising at 50,000 referrals). A listing interrupted between pages
 *   may therefore hand back, once, referrals delivered on its earlier pages; the engine takes those as
 *   echoes (their eTag is the one the link stored) at no further cost.
 * - After a run has read its listing to the last page, the window is anchored to the service's own clock
 *   when that listing started (`readAt`, from the `Date` header), not only to the newest referral: every
 *   change committed more than `overlapMs` before that read was delivered by it. Without this, the
 *   window stayed at the newest referral, and after a bulk change every idle run re-read the whole bulk
 *   (issue 13); now an idle run after a quiet period reads one empty page.
 * - Order is `$orderby=updatedDateTime asc`; the service breaks ties by id (the API takes one
 *   `$orderby` key), so referrals sharing a timestamp keep a stable order across pages and runs, and
 *   its keyset `$skiptoken` does not shift pages when referrals change while we read.
 *
 * The decisions are pure functions (`changeFeedQuery`, `isDelivered`, `advanceCursor`); `readChanges`
 * only wires them to the paged listing.
 */
import type { Referral } from '../../core/model/index.js';
import type { ApiReferral } from './api-types.js';
import { referralFromValidApi } from './mapping.js';
import { odataDateTime, type ListQuery, type ReferralsEndpoint } from './referrals.js';
import { DeliveredVersions, instantMs, type DeliveredVersion } from './delivered-versions.js';

export { instantMs, type DeliveredVersion };

/** Where the feed stopped: JSON-serialisable, opaque to the engine, stored after each page. */
export interface ChangeCursor {
  /** The highest `updatedDateTime` delivered, verbatim from the service. */
  watermark: string;
  /**
   * The service's time when the last listing that was read to its end started: every change committed
   * `overlapMs` before it has been delivered. Absent in cursors written before it existed.
   */
  readAt?: string;
  /** Versions delivered within `overlapMs` of the watermark: what the next overlap will re-read. */
  recent: DeliveredVersion[];
}

/** A referral the mapping refused; the engine parks it with this message instead of stopping the feed. */
export interface UnmappableReferral {
  id: string;
  message: string;
}

export interface ChangePage {
  referrals: Referral[];
  unmappable: UnmappableReferral[];
  /** Checkpoint this once the page is processed. */
  cursor: ChangeCursor | undefined;
  /** Referrals on this page dropped as already delivered (the overlap). */
  duplicatesSkipped: number;
  pageNumber: number;
  hasMore: boolean;
}

export interface ChangeFeedOptions {
  overlapMs: number;
  /** First run only: start at this instant instead of reading everything. */
  since?: string;
}

const ms = instantMs;

/** Where the next window starts before the overlap: the newest referral, or the last full read if later. */
function windowStart(cursor: ChangeCursor): number {
  const read = cursor.readAt ? ms(cursor.readAt) : Number.NaN;
  const newest = ms(cursor.watermark);
  return Number.isNaN(read) ? newest : Math.max(newest, read);
}

/** The listing query for a run that starts at `cursor`. Pure. */
export function changeFeedQuery(cursor: ChangeCursor | undefined, options: ChangeFeedOptions): ListQuery {
  const orderBy = 'updatedDateTime asc';
  const from = cursor ? windowStart(cursor) - options.overlapMs : options.since ? ms(options.since) : undefined;
  if (from === undefined || Number.isNaN(from)) return { orderBy };
  // `gt` one millisecond earlier reads as `ge`: a referral stamped exactly at the boundary is re-read
  // (and de-duplicated) rather than skipped, even with no overlap.
  return { orderBy, filter: `updatedDateTime gt ${odataDateTime(new Date(from - 1).toISOString())}` };
}

function versionOf(referral: ApiReferral): DeliveredVersion | undefined {
  if (!referral.id || !referral.updatedDateTime) return undefined;
  return { id: referral.id, updatedDateTime: referral.updatedDateTime, ...(referral.eTag ? { eTag: referral.eTag } : {}) };
}

const versionsOf = (referrals: readonly ApiReferral[]) => referrals.map(versionOf).filter((v): v is DeliveredVersion => v !== undefined);

/** Whether this referral version was already delivered (by an earlier page or run). Pure. */
export function isDelivered(referral: ApiReferral, cursor: ChangeCursor | undefined): boolean {
  const version = versionOf(referral);
  return version !== undefined && cursor !== undefined && new DeliveredVersions(cursor.recent).has(version);
}

/** The cursor's boundary (watermark, read time) after delivering `versions`; `recent` is left as it was. Pure. */
function movedBoundary(cursor: ChangeCursor | undefined, versions: readonly DeliveredVersion[]): ChangeCursor | undefined {
  if (versions.length === 0) return cursor;
  let watermark = cursor?.watermark ?? versions[0]!.updatedDateTime;
  for (const v of versions) if (ms(v.updatedDateTime) > ms(watermark)) watermark = v.updatedDateTime;
  return { watermark, ...(cursor?.readAt ? { readAt: cursor.readAt } : {}), recent: cursor?.recent ?? [] };
}

/** The boundary after a listing that started at `serverTime` was read to its last page. Pure. */
function readThroughBoundary(cursor: ChangeCursor | undefined, serverTime: string | undefined): ChangeCursor | undefined {
  if (!serverTime || Number.isNaN(ms(serverTime))) return cursor;
  if (!cursor) return { watermark: serverTime, readAt: serverTime, recent: [] };
  if (cursor.readAt && ms(cursor.readAt) >= ms(serverTime)) return cursor;
  return { ...cursor, readAt: serverTime };
}

/** The oldest timestamp the next window (from this boundary) can re-read. */
const windowFloor = (cursor: ChangeCursor, overlapMs: number) => windowStart(cursor) - overlapMs - 1;

/** `cursor` with `recent` holding only what the next window can re-read, the newest version per id. Pure. */
function trimmed(cursor: ChangeCursor, delivered: DeliveredVersions, overlapMs: number): ChangeCursor {
  return { ...cursor, recent: delivered.since(windowFloor(cursor, overlapMs)) };
}

/**
 * The cursor after delivering `referrals`: the watermark moves to the newest `updatedDateTime`, and
 * `recent` keeps only versions the next overlap can re-read (the newest per id). Pure.
 */
export function advanceCursor(cursor: ChangeCursor | undefined, referrals: readonly ApiReferral[], overlapMs: number): ChangeCursor | undefined {
  const versions = versionsOf(referrals);
  const moved = movedBoundary(cursor, versions);
  if (!moved || moved === cursor) return cursor;
  return trimmed(moved, new DeliveredVersions([...moved.recent, ...versions]), overlapMs);
}

/**
 * The cursor after a listing that started at `serverTime` was read to its last page: the window may
 * start there. With no cursor yet (nothing was ever listed), the read itself is the watermark. Pure.
 */
export function markReadThrough(cursor: ChangeCursor | undefined, serverTime: string | undefined, overlapMs: number): ChangeCursor | undefined {
  const read = readThroughBoundary(cursor, serverTime);
  return read === cursor || !read ? cursor : trimmed(read, new DeliveredVersions(read.recent), overlapMs);
}

/** Streams the changes since `cursor`; one listing request per page, made only when asked for. */
export async function* readChanges(endpoint: ReferralsEndpoint, cursor: ChangeCursor | undefined, options: ChangeFeedOptions): AsyncGenerator<ChangePage> {
  // Everything delivered in the window, this run's pages included: one lookup per referral.
  const delivered = new DeliveredVersions(cursor?.recent ?? []);
  let boundary = cursor;
  // The service's time at the first page: the listing saw everything committed before it.
  let listingStartedAt: string | undefined;
  for await (const page of endpoint.list(changeFeedQuery(cursor, options), 'changes')) {
    listingStartedAt ??= page.serverTime;
    const fresh = page.value.filter((referral) => {
      const version = versionOf(referral);
      return version === undefined || !delivered.has(version);
    });
    const referrals: Referral[] = [];
    const unmappable: UnmappableReferral[] = [];
    for (const json of fresh) {
      try {
        // The page schema checked every item already (referrals.ts `list`).
        referrals.push(referralFromValidApi(json));
      } catch (error) {
        unmappable.push({ id: json.id ?? '(no id)', message: (error as Error).message });
      }
    }
    const versions = versionsOf(fresh);
    delivered.add(versions);
    boundary = movedBoundary(boundary, versions);
    if (!page.hasMore) boundary = readThroughBoundary(boundary, listingStartedAt);
    // The last page's checkpoint carries the whole window; any other page's carries its own versions.
    const checkpoint = boundary && (page.hasMore ? trimmed(boundary, new DeliveredVersions(versions), options.overlapMs) : trimmed(boundary, delivered, options.overlapMs));
    yield { referrals, unmappable, cursor: checkpoint, duplicatesSkipped: page.value.length - fresh.length, pageNumber: page.pageNumber, hasMore: page.hasMore };
  }
}
