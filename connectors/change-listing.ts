/**
 * A CRM change feed opened by its first call, before the engine reads its pages (issue 13). The engine
 * opens the CRM's feed before its Partner Center phase reads CRM records; when that first call already
 * told every record the pages will hand on, the engine reads those records together with its own, in one
 * call, and the pages take them from there instead of reading them again.
 *
 * Each adapter keeps its feed as one generator. The generator calls `announce` at the point it knows what
 * its pages will read (right after its first call), and waits there: the engine's reads come back from
 * `announce` once it asks for the pages. A feed that cannot tell (a listing that goes on, a fallback path)
 * announces `undefined`, or nothing, and reads as it always did.
 */
import type { CrmChangeListing, CrmChangePage, CrmDeal } from '../core/engine/crm-port.js';

/** Records the engine read after the feed's first call, by CRM ID. */
export type EngineReads = ReadonlyMap<string, CrmDeal>;

/** Records a feed's first call read in full besides listing (crm-port.ts `CrmChangeListing.readAlong`). */
export type ReadAlong = NonNullable<CrmChangeListing['readAlong']>;

/**
 * What a feed says after its first call: the records its pages will read, or `undefined` when it cannot tell
 * yet; and what that call read in full for the engine, if anything.
 */
export type AnnounceToRead = (toRead: readonly string[] | undefined, readAlong?: ReadAlong) => Promise<EngineReads | undefined>;

/**
 * These records, in the order asked: those the engine read after the listing's first call (copies: a feed
 * dates them by the related change that listed them), the others read with `read` (none asked when every one
 * was taken). A record neither has is gone and left out.
 */
export async function takenOrRead(ids: readonly string[], engineReads: EngineReads | undefined, read: (unread: string[]) => Promise<CrmDeal[]>): Promise<CrmDeal[]> {
  const unread = engineReads ? ids.filter((id) => !engineReads.has(id)) : [...ids];
  const fresh = new Map((unread.length ? await read(unread) : []).map((d) => [d.crmId, d]));
  return ids.flatMap((id) => {
    const taken = engineReads?.get(id);
    const deal = taken ? { ...taken } : fresh.get(id);
    return deal ? [deal] : [];
  });
}

/** Announces nothing and waits for nothing: the feed read straight through (`readChanges`). */
export const readStraightThrough: AnnounceToRead = async () => undefined;

/**
 * Starts `feed` (its first call runs now) and returns once it has announced what it will read. The pages
 * are handed on by {@link CrmChangeListing.pages}, which may be asked once. A feed that produces a page
 * before announcing read that page now, before the engine's writes of this run: it is closed, the page
 * dropped, and the feed is started again when its pages are asked, so that they are read as they always
 * were (its first call is then made twice; the adapters announce on every path, so this is a safeguard).
 */
export async function openListing(feed: (announce: AnnounceToRead) => AsyncGenerator<CrmChangePage>): Promise<CrmChangeListing> {
  let told!: (toRead: readonly string[] | undefined, readAlong: ReadAlong | undefined) => void;
  const announced = new Promise<{ toRead: readonly string[] | undefined; readAlong: ReadAlong | undefined }>((resolve) => (told = (toRead, readAlong) => resolve({ toRead, readAlong })));
  let handOver!: (reads: EngineReads | undefined) => void;
  const reads = new Promise<EngineReads | undefined>((resolve) => (handOver = resolve));
  const generator = feed(async (toRead, readAlong) => {
    told(toRead, readAlong);
    return reads;
  });
  const first = generator.next();
  const opened = await Promise.race([announced, first.then(() => undefined)]);
  const restart = !opened;
  if (restart && !(await first).done) await generator.return(undefined);
  let asked = false;
  return {
    ...(opened?.toRead ? { toRead: opened.toRead } : {}),
    ...(opened?.readAlong ? { readAlong: opened.readAlong } : {}),
    async *pages(engineReads?: EngineReads) {
      if (asked) throw new Error('A CRM change listing hands its pages on once.');
      asked = true;
      handOver(engineReads);
      const pagesOf = restart ? feed(readStraightThrough) : generator;
      let next = await (restart ? pagesOf.next() : first);
      try {
        while (!next.done) {
          yield next.value;
          next = await pagesOf.next();
        }
      } finally {
        // A caller that stops early (a stopped run) lets the feed end as a `break` out of it would.
        if (!next.done) await pagesOf.return(undefined);
      }
    },
  };
}
