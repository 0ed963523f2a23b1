/**
 * Between the two phases of a run (issue 13): the Partner Center phase's CRM updates wait in the write
 * buffer while the CRM's feed is read, so that they go out in the same batches as the CRM phase's status
 * write-backs (a cycle with changes on both sides then writes to the CRM once instead of twice).
 *
 * The CRM's listing may then show a record we have an update waiting for, as it was before that update.
 * Such a record's page touches the buffer: the buffer is written first, and the page's records that the
 * write went to are read again, so that the page is decided on the record as it is now (our write and any
 * seller's save since). Deciding on the listed content instead sent it back to Partner Center as a seller's
 * edit (the model test's seed 41): a record whose related rows changed is listed in full whatever its
 * version, so no version check can tell the listed content is older than our write. The same holds for a
 * record the buffer wrote earlier, after a listing opened early (crm-listing.ts) had answered: a run with
 * creates sends its buffer before the CRM phase, and Salesforce's listing hands on the rows its first call
 * returned (a write in the same second leaves the record in the page's window). Until 2026-12-06 those were
 * not read again, and a colleague's note the Partner Center phase had written to the record went back to
 * Partner Center as the seller's old text (test/unit/engine/listing-after-early-writes.test.ts).
 *
 * Creates are written before the CRM phase: it reads an opportunity created for a referral (in its listing,
 * or by ID when the listing was opened before the create, crm-listing.ts) and sends its CRM ID to Partner
 * Center in the same run.
 *
 * A listed record the Partner Center phase already decided on, as read after the listing was opened
 * (crm-listing.ts), is left out of its page: that decision saw both sides' changes, and its write waits
 * in the buffer. Deciding it again would only write the buffer early and read the record once more.
 */
import type { CrmDeal } from './crm-port.js';
import type { RunContext } from './context.js';
import { crmPageIds, type CrmPageInput } from './crm-phase.js';
import type { WriteBuffer } from './write-buffer.js';

/** Writes what must reach the CRM before its feed is read (creates, or everything when the run stops). */
export async function beforeCrmListing(buffer: WriteBuffer, stopping: boolean): Promise<void> {
  if (stopping || buffer.holdsCreates()) await buffer.flush();
}

/**
 * A listed page as the run must decide it: when it touches the buffer, the buffer is written; the listed
 * records our writes went to, now or since the listing was opened, are replaced by a fresh read (one call).
 * A record the read no longer finds drops out of the page; the deletion feed reports it.
 */
export async function pageAfterBufferedWrites(ctx: RunContext, buffer: WriteBuffer, listed: CrmPageInput, decidedAlready: (deal: CrmDeal) => boolean): Promise<CrmPageInput> {
  const page = listed.deals.some(decidedAlready) ? { ...listed, deals: listed.deals.filter((d) => !decidedAlready(d)) } : listed;
  const written = buffer.touches(crmPageIds(page)) ? await buffer.flush() : new Set<string>();
  const stale = new Set(page.deals.filter((d) => written.has(d.crmId) || buffer.wroteSinceListing(d.crmId)).map((d) => d.crmId));
  if (stale.size === 0) return page;
  ctx.tally.add('crmReadCalls');
  const fresh = new Map<string, CrmDeal>((await ctx.crm.getDeals([...stale])).map((d) => [d.crmId, d]));
  const deals: CrmDeal[] = [];
  for (const deal of page.deals) {
    if (!stale.has(deal.crmId)) deals.push(deal);
    else if (fresh.has(deal.crmId)) deals.push(fresh.get(deal.crmId)!);
  }
  return { ...page, deals };
}
