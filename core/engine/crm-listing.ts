/**
 * The CRM's change feed for one run (issue 13). A run with Partner Center changes to linked referrals
 * must read those referrals' CRM records; the CRM phase must read the records its listing names. Read
 * apart, that is two calls. So when the Partner Center phase first needs CRM records, the run opens the
 * CRM's feed (its first call, which the CRM phase would make anyway), learns which records the listing
 * will read, and reads them with its own in one call (crm-read-ahead.ts). The CRM phase then takes its
 * pages from that opened feed, and the pages take those records from what the run read.
 *
 * The feed opened early cannot show opportunities this run creates after it (inbound referrals of the
 * Partner Center phase): those are read by ID and decided like listed ones, so their CRM IDs still reach
 * Partner Center in the same run. A create reported failed after it saved its record (`savedCrmId`) is read
 * the same way, and finished there as a create a stopped run made. They come before the listing's pages: a run that fails on them has not
 * committed the listing's last page, whose cursor (Salesforce's window anchor) would leave the connector's
 * own creates out of the next run's listing.
 *
 * A feed that cannot be opened early (its first call failed) is opened again when the CRM phase starts, as
 * before: a CRM outage never keeps the Partner Center phase from committing its pages.
 */
import type { CrmChangeListing, CrmCursor, CrmDeal } from './crm-port.js';
import { chunks } from '../chunks.js';
import type { RunContext } from './context.js';
import { knownCrmVersions } from './echoes.js';
import type { CrmPageInput } from './crm-phase.js';
import type { WriteBuffer } from './write-buffer.js';

/** Opportunities this run created, read by ID per page (one Salesforce read call each). */
const CREATED_PER_PAGE = 1_000;

export class CrmListing {
  private opened?: CrmChangeListing;
  private triedEarly = false;

  constructor(private readonly ctx: RunContext, private readonly buffer: WriteBuffer) {}

  /**
   * Opens the feed now (its first call), when the adapter can open it apart from reading its pages, asking
   * it to read `alsoRead` in the same call where it can. Returns the records its pages will read, when its
   * first answer told them, and what it read along (crm-port.ts `readAlong`); nothing when already tried.
   */
  async openEarly(alsoRead: readonly string[] = []): Promise<Pick<CrmChangeListing, 'toRead' | 'readAlong'> | undefined> {
    if (!this.ctx.crm.openChanges || this.triedEarly) return undefined;
    this.triedEarly = true;
    try {
      this.opened = await this.ctx.crm.openChanges(await this.cursor(), knownCrmVersions(this.ctx), alsoRead);
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'could not open the CRM change feed early; the Partner Center phase reads its CRM records alone, and the feed is opened again for the CRM phase');
      return undefined;
    }
    this.buffer.listingOpened();
    return this.opened;
  }

  /**
   * The opportunities this run created after the feed was opened early, read by ID (pages without a cursor:
   * nothing to move past), then the feed's pages (opened now unless opened early). `engineReads`: records
   * the run read after the early opening, for the pages to take instead of reading them again.
   */
  async *pages(engineReads?: ReadonlyMap<string, CrmDeal>): AsyncGenerator<CrmPageInput> {
    if (!this.opened) {
      yield* this.ctx.crm.readChanges(await this.cursor(), knownCrmVersions(this.ctx));
      return;
    }
    const created = this.buffer.takeCreated();
    for (const ids of chunks(created, CREATED_PER_PAGE)) {
      this.ctx.tally.add('crmReadCalls');
      yield { deals: await this.ctx.crm.getDeals(ids), deletedIds: [] };
    }
    yield* this.opened.pages(engineReads);
  }

  private async cursor(): Promise<CrmCursor | undefined> {
    return (await this.ctx.store.getCursor('crm')) as CrmCursor | undefined;
  }
}

