/**
 * The CRM's change feed for one run (issue 13). A run with Partner Center changes to linked referrals
 * must read those referrals' CRM records; the CRM phase must read the records its listing names. Read
 * apart, that is two calls. So when the Partner Center phase first needs CRM records, the run opens the
 * CRM's feed (its first call, which the CRM phase would make anyway), learns which records the listing
 * will read, and reads them with its own in one call (crm-read-ahead.ts). The CRM phase then takes its
 * pages from that opened feed, and the pages take those records from what the run read.
 *
 * The feed opened early cannot show opportunities this run creates after it (inbound referrals of the
 * Partner Center phase): those are read by ID after the listing and decided like listed ones, so their CRM
 * IDs still reach Partner Center in the same run.
 */
import type { CrmChangeListing, CrmCursor, CrmDeal } from '../../connectors/types.js';
import type { RunContext } from './context.js';
import { knownCrmVersions } from './echoes.js';
import type { CrmPageInput } from './crm-phase.js';
import type { WriteBuffer } from './write-buffer.js';

export class CrmListing {
  private opened?: CrmChangeListing;

  constructor(private readonly ctx: RunContext, private readonly buffer: WriteBuffer) {}

  /**
   * Opens the feed now (its first call), when the adapter can open it apart from reading its pages. Returns
   * the records its pages will read, when its first answer told them.
   */
  async openEarly(): Promise<readonly string[] | undefined> {
    if (!this.ctx.crm.openChanges) return undefined;
    if (!this.opened) {
      this.opened = await this.ctx.crm.openChanges(await this.cursor(), knownCrmVersions(this.ctx));
      this.buffer.recordCreates();
    }
    return this.opened.toRead;
  }

  /**
   * The feed's pages (opened now unless opened early), then the opportunities this run created after the
   * feed was opened, read by ID (a page without a cursor: nothing to move past). `engineReads`: records the
   * run read after the early opening, for the pages to take instead of reading them again.
   */
  async *pages(engineReads?: ReadonlyMap<string, CrmDeal>): AsyncGenerator<CrmPageInput> {
    if (!this.opened) {
      yield* this.ctx.crm.readChanges(await this.cursor(), knownCrmVersions(this.ctx));
      return;
    }
    yield* this.opened.pages(engineReads);
    const created = this.buffer.takeCreated();
    // A dry run creates nothing: its "created" IDs name no record.
    if (created.length === 0 || this.ctx.options.dryRun) return;
    this.ctx.tally.add('crmReadCalls');
    yield { deals: await this.ctx.crm.getDeals(created), deletedIds: [] };
  }

  private async cursor(): Promise<CrmCursor | undefined> {
    return (await this.ctx.store.getCursor('crm')) as CrmCursor | undefined;
  }
}

