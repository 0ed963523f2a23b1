/**
 * The Dynamics feed's side of an opened listing (connectors/change-listing.ts, issue 13): the announcement it
 * makes once, and the changed rows it takes from what the engine read after the run's first call.
 */
import type { AnnounceToRead, EngineReads, ReadAlong } from '../change-listing.js';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import type { RawRow } from './records.js';

/** The announcement an opened listing makes once, and the engine's reads it got back. */
export interface OpenedListing {
  announce: AnnounceToRead;
  announced?: true;
  engineReads?: EngineReads;
}

/** Announces once, on the first tracking page: the rows to read when that page is the whole listing, and what the first call read of them (and of the engine's records). */
export async function announceOnce(listing: OpenedListing | undefined, toRead: readonly string[] | undefined, readAlong?: ReadAlong): Promise<EngineReads | undefined> {
  if (!listing || listing.announced) return listing?.engineReads;
  listing.announced = true;
  const reads = await listing.announce(toRead, readAlong);
  if (reads) listing.engineReads = reads;
  return reads;
}

/** The changed rows the engine read after the listing's first call at the version listed (copies: the feed may date them). */
export function takenFromEngine(rows: readonly RawRow[], reads: EngineReads | undefined): Map<string, CrmDeal> {
  const taken = new Map<string, CrmDeal>();
  if (!reads) return taken;
  for (const row of rows) {
    const id = String(row.opportunityid);
    const deal = reads.get(id);
    if (deal && deal.etag !== undefined && deal.etag === row['@odata.etag']) taken.set(id, { ...deal });
  }
  return taken;
}
