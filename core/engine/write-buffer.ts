/**
 * CRM writes gathered across feed pages, so that every batch the CRM gets is as full as its limit allows
 * (a Dataverse `$batch` of 1,000 operations, ten Salesforce collections of 200) while feed pages stay the
 * size each service reads best.
 *
 * Checkpoints stay exact: a page is committed (links, parks and its cursor, in one transaction) only after
 * the batch carrying its writes came back, and pages are committed in feed order. A crash before that
 * leaves the last committed cursor where it was, so the next run reads those pages again; their creates
 * are found by the intents stored before each call, so nothing is lost and nothing is made twice.
 *
 * Pages that touch the same record are never in the buffer together: the later one is decided against the
 * earlier one's committed link, exactly as if each page were written on its own.
 */
import type { CrmWrite, CrmWriteResult } from './crm-port.js';
import type { RunContext } from './context.js';
import { flushCrmWrites } from './crm-writes.js';

/** A page decided but not yet written or committed. */
export interface PendingPage {
  /** The page's CRM writes; their results come back to `settle` keyed by `write.key`. */
  writes: CrmWrite[];
  /** Every record ID (CRM ID or referral ID) the page read or decided on. */
  ids: Iterable<string>;
  /** Records the write results and commits the page (with its cursor) in one transaction. */
  settle(results: Map<string, CrmWriteResult>): Promise<void>;
}

/** Writes a page at once and commits it: for the work outside the feeds (revisits, retries). */
export async function settleNow(ctx: RunContext, page: PendingPage): Promise<void> {
  await page.settle(await flushCrmWrites(ctx, page.writes));
}

/** Record IDs held per write of a full batch before the buffer is sent anyway (about 2 records per write). */
const MAX_BUFFERED_IDS_PER_BATCH = 4;

export class WriteBuffer {
  private pages: PendingPage[] = [];
  private readonly ids = new Set<string>();
  private writes = 0;
  /** CRM IDs of the opportunities written creates made, once the listing was opened (crm-listing.ts). */
  private created?: string[];
  /** CRM IDs of the records written since the listing was opened: it may hand them on as they were before. */
  private writtenSinceListing?: Set<string>;

  /** `onWritten` hears of every batch sent, so that what was read of those records is not served again. */
  constructor(private readonly ctx: RunContext, private readonly onWritten?: (writes: readonly CrmWrite[]) => void) {}


  /** Whether a page reading any of `ids` must wait until the buffered pages are committed. */
  touches(ids: Iterable<string>): boolean {
    if (this.pages.length === 0) return false;
    for (const id of ids) if (this.ids.has(id)) return true;
    return false;
  }

  /**
   * Adds a decided page. The buffer is sent once it holds a full batch; pages are committed at once while
   * no write waits (nothing to wait for), and once it holds many records, so that memory and the work a
   * crash repeats stay bounded whatever the feed brings.
   */
  async add(page: PendingPage): Promise<void> {
    this.pages.push(page);
    for (const id of page.ids) this.ids.add(id);
    for (const w of page.writes) this.ids.add(w.key);
    this.writes += page.writes.length;
    const batch = Math.max(1, this.ctx.crm.maxBatchSize);
    if (this.writes === 0 || this.writes >= batch || this.ids.size >= MAX_BUFFERED_IDS_PER_BATCH * batch) await this.flush();
  }

  /** Whether a buffered write creates a record (the CRM phase must read what it made: the run writes it first). */
  holdsCreates(): boolean {
    return this.pages.some((page) => page.writes.some((w) => w.kind === 'create'));
  }

  /**
   * The CRM's listing was opened before the run's writes (crm-listing.ts): from now on the buffer keeps the CRM
   * IDs of the opportunities its creates make, which the listing cannot show, and of the records it writes,
   * which the listing may show as they were before the write (crm-phase-boundary.ts).
   */
  listingOpened(): void {
    this.created ??= [];
    this.writtenSinceListing ??= new Set();
  }

  /** Whether this record was written after the listing was opened. */
  wroteSinceListing(crmId: string): boolean {
    return this.writtenSinceListing?.has(crmId) === true;
  }

  /** The CRM IDs of the opportunities created since {@link listingOpened} or the last call. */
  takeCreated(): string[] {
    const created = this.created ?? [];
    if (this.created) this.created = [];
    return created;
  }

  /**
   * Sends every buffered write, then commits the buffered pages in the order they were read. Returns the
   * CRM records the writes went to (updates and status write-backs): what was read of them before is stale.
   */
  async flush(): Promise<Set<string>> {
    const written = new Set<string>();
    if (this.pages.length === 0) return written;
    const pages = this.pages;
    this.pages = [];
    this.ids.clear();
    this.writes = 0;
    const writes = pages.flatMap((p) => p.writes);
    const results = await flushCrmWrites(this.ctx, writes);
    this.onWritten?.(writes);
    for (const page of pages) await page.settle(results);
    for (const w of writes) {
      if (w.kind !== 'create') {
        written.add(w.crmId);
        this.writtenSinceListing?.add(w.crmId);
      } else if (this.created && w.as !== 'lead') {
        const result = results.get(w.key);
        // A create reported failed after it saved the record is read too: a listing opened before it cannot
        // show it, and the next run's leaves out the connector's own writes (model seed 4016, Salesforce).
        const crmId = result?.ok ? result.crmId : result?.savedCrmId;
        if (crmId) this.created.push(crmId);
      }
    }
    return written;
  }

  /**
   * After a failure: commits what can be committed (the buffered pages' writes are sent first), so that a
   * failed run resumes after the last page it finished, as if each page had been written on its own. A
   * second failure leaves those pages uncommitted; the next run reads them again.
   */
  async flushAfterFailure(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'could not write the buffered pages after a failure; the next run reads them again');
    }
  }
}
