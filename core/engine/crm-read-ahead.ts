/**
 * The CRM side of several Partner Center pages, read in one go (issue 13). A Partner Center page holds 100
 * referrals; reading the CRM records of each page on its own cost one CRM call per page (five at 50,000
 * deals with 1% changed), when the CRM answers up to its read limit in one call. The run reads a few
 * Partner Center pages ahead, reads the CRM records their changed, linked referrals name at once, and then
 * decides the pages one by one as before (stops, budgets and commits stay per page).
 *
 * A record read ahead is served only while nothing of ours was written to it since: the write buffer tells
 * the read-ahead what it wrote (`forget`), and a page that needs such a record reads it again. Echoes (a
 * referral whose eTag the link holds) are left out, as the page itself leaves them out: they need no read.
 *
 * With the CRM's listing (crm-listing.ts): the first read opens the CRM's feed, asking it to read this
 * read's records in its own first call (an adapter that can hands them back: `readAlong`), and reads what is
 * left of them with the records its pages will read in one more call (none when nothing is left). Those are
 * kept for the CRM phase (`forListing`); one the Partner Center phase decided on is not decided again there
 * (`decidedHere`).
 */
import type { CrmDeal, CrmWrite } from './crm-port.js';
import { PageState } from '../store/async-state-store.js';
import type { RunContext } from './context.js';
import { isPartnerCenterEcho, stateLookups } from './echoes.js';
import type { PartnerCenterPage } from './ports.js';
import type { CrmListing } from './crm-listing.js';

/** Partner Center pages read before their CRM side is read (100 referrals each). */
export const READ_AHEAD_PAGES = 10;

/**
 * The most records of the CRM's listing read with the Partner Center phase's (kept until the CRM phase). A
 * Salesforce read by ID takes 1,000 per call: up to 1,000 more never costs more than the one call the
 * listing would make to read them itself. A larger listing reads its rows as it always did.
 */
export const LISTED_READ_TOGETHER = 1_000;

export class CrmReadAhead {
  private readonly deals = new Map<string, CrmDeal>();
  /** IDs read (found or not: an ID the CRM did not return was not there when it was read). */
  private readonly read = new Set<string>();
  /** The CRM listing's records to read, once it told them; what was read of them, kept for its pages. */
  private listed?: ReadonlySet<string>;
  private readonly forListing = new Map<string, CrmDeal>();
  /** Listed records the Partner Center phase decided on, at the version it decided on. */
  private readonly decided = new Map<string, string>();

  constructor(private readonly ctx: RunContext, private readonly listing?: CrmListing) {}

  /** What was read of the listing's records after it was opened, and not written since: for its pages. */
  listingReads(): ReadonlyMap<string, CrmDeal> {
    return this.forListing;
  }

  /** The Partner Center phase decided the pair on this record as read: a listed one needs no decision in the CRM phase. */
  markDecided(deal: CrmDeal): void {
    if (deal.etag !== undefined && this.forListing.get(deal.crmId) === deal) this.decided.set(deal.crmId, deal.etag);
  }

  /** Whether the Partner Center phase decided on this very version of a listed record (nothing left to decide). */
  decidedHere(deal: CrmDeal): boolean {
    return deal.etag !== undefined && this.decided.get(deal.crmId) === deal.etag;
  }

  /** Reads the CRM records that the pages' changed, linked referrals name, in one `getDeals`. */
  async prepare(pages: readonly PartnerCenterPage[]): Promise<void> {
    this.deals.clear();
    this.read.clear();
    const referrals = pages.flatMap((p) => p.referrals);
    if (referrals.length === 0) return;
    // Versions only: deciding which records to read needs no link's base (echoes.ts `withoutEchoes`).
    const state = new PageState(await this.ctx.store.loadVersions({ referralIds: referrals.map((r) => r.referralId!) }));
    const lookups = stateLookups(() => state);
    const crmIds = new Set<string>();
    for (const referral of referrals) {
      const link = state.linkByReferralId(referral.referralId!);
      if (!link || link.state === 'crm-deleted' || isPartnerCenterEcho(lookups, link, referral, this.ctx.nowIso)) continue;
      crmIds.add(link.crmId);
    }
    if (crmIds.size === 0) return;
    const together = await this.listedToReadTogether(crmIds);
    const unread = [...crmIds].filter((id) => !this.read.has(id));
    // One page's worth is read by the page itself at the same cost: reading ahead pays off from two pages,
    // or with the listing's records.
    if (pages.length < 2 && together.length === 0) return;
    if (unread.length + together.length > 0) await this.readNow([...unread, ...together]);
  }

  /**
   * The first time: opens the CRM's listing, asking it to read `crmIds` in its first call, takes what it read
   * along (as a read of its own), and returns its records still to read with `crmIds` (none when too many).
   */
  private async listedToReadTogether(crmIds: ReadonlySet<string>): Promise<string[]> {
    if (!this.listing || this.listed) return [];
    const opened = await this.listing.openEarly([...crmIds]);
    const toRead = opened?.toRead;
    this.listed = new Set(toRead && toRead.length <= LISTED_READ_TOGETHER ? toRead : []);
    if (opened?.readAlong) this.took(opened.readAlong.asked, opened.readAlong.deals);
    return [...this.listed].filter((id) => !crmIds.has(id) && !this.read.has(id));
  }

  /** The current CRM records of `crmIds`: those read ahead, and the others read now (one call). */
  async current(crmIds: readonly string[]): Promise<Map<string, CrmDeal>> {
    if (crmIds.length === 0) return new Map();
    const unread = crmIds.filter((id) => !this.read.has(id));
    if (unread.length > 0) await this.readNow(unread);
    const found = new Map<string, CrmDeal>();
    for (const id of crmIds) {
      const deal = this.deals.get(id);
      if (deal) found.set(id, deal);
    }
    return found;
  }

  /** Our writes have changed these records: what was read of them before is stale. */
  forget(writes: readonly CrmWrite[]): void {
    for (const write of writes) {
      const crmId = write.kind === 'create' ? undefined : write.crmId;
      if (crmId === undefined) continue;
      this.deals.delete(crmId);
      this.read.delete(crmId);
      this.forListing.delete(crmId);
    }
  }

  private async readNow(crmIds: string[]): Promise<void> {
    this.ctx.tally.add('crmReadCalls');
    this.took(crmIds, await this.ctx.crm.getDeals(crmIds));
  }

  /** `deals`, read when `asked` was (one asked and not among them is gone): the current records of those IDs. */
  private took(asked: readonly string[], deals: readonly CrmDeal[]): void {
    // What was read of a listed record before is replaced, or dropped when the record is gone now.
    for (const id of asked) this.forListing.delete(id);
    for (const deal of deals) {
      this.deals.set(deal.crmId, deal);
      this.read.add(deal.crmId);
      if (this.listed?.has(deal.crmId)) this.forListing.set(deal.crmId, deal);
    }
    for (const id of asked) this.read.add(id);
  }
}
