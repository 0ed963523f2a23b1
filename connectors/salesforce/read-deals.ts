/**
 * Rows into deals for the reader (read.ts): the opportunity rows of a listing page, of the folded first call,
 * or read by ID, with their related rows, assembled (deals-of-rows.ts) after the stage map is loaded and the
 * related rows' versions noted (related-versions.ts), and what the reader keeps per opportunity between its
 * reads and the writer's (the stage read, a clone's copied write-backs). Moved out of read.ts on 2026-12-07
 * (it had reached 300 lines): read.ts lists, this builds; unchanged.
 */
import type { CrmDeal, RelatedRowIndex } from '../../core/engine/crm-port.js';
import type { SfRecord } from './assemble.js';
import { dealsOfRows } from './deals-of-rows.js';
import { recordIds, stageNamesOf, type LazyContext } from './lazy-context.js';
import type { SalesforceClient } from './client.js';
import { markUnfinishedCloses } from './unfinished-close.js';
import { readByIds, type RelatedRows } from './deals-by-id.js';
import { opportunityVersion } from './long-text-apart.js';
import { RelatedVersions } from './related-versions.js';
import { opportunityFields } from './opportunity-fields.js';
import { takenOrRead, type EngineReads, type ReadAlong } from '../change-listing.js';
import type { FoldedAnswer } from './folded-listing.js';

export class ReadDeals {
  /** The StageName last read per opportunity, so that a stage write-back does not replace an equivalent stage. */
  readonly lastStage = new Map<string, string>();
  /** Records read without a referral ID that hold copied write-backs (a clone), by ID: see `copiedWriteBacks`. */
  readonly copies = new Map<string, string[]>();
  readonly versions: RelatedVersions;

  constructor(
    private readonly client: SalesforceClient,
    /** Related row → opportunity, so that a deleted related row leads back to its opportunity. */
    index: RelatedRowIndex,
  ) {
    this.versions = new RelatedVersions(index);
  }

  async assemble(opportunities: readonly SfRecord[], related: RelatedRows, context: LazyContext, versionOf: (row: SfRecord) => string = opportunityVersion): Promise<CrmDeal[]> {
    const ctx = await context.load(stageNamesOf(opportunities));
    await this.versions.read(opportunities, related);
    const deals = dealsOfRows(opportunities, related, ctx, versionOf, this);
    // An open stage beside a Closed status: a seller's reopen, or an older version's unfinished close.
    await markUnfinishedCloses(this.client, opportunities, deals, ctx.stageMap);
    return deals;
  }

  /** What the folded first call read in full: the engine's records, and the listed ones to read (`toRead`). */
  async readAlong(folded: FoldedAnswer, toRead: readonly string[] | undefined, context: LazyContext): Promise<ReadAlong> {
    const { opportunities, related } = folded.full([...new Set([...folded.found, ...(toRead ?? [])])]);
    return { deals: opportunities.length ? await this.assemble(opportunities, related, context) : [], asked: folded.asked };
  }

  /**
   * These opportunities: those the engine read after the listing's first call (copies: the feed dates them by
   * related changes), the others read now (one call), in the order asked.
   */
  takenOrRead(ids: readonly string[], engineReads: EngineReads | undefined, context: LazyContext): Promise<CrmDeal[]> {
    return takenOrRead(ids, engineReads, (unread) => this.getDeals(unread, context));
  }

  /** The opportunities with these IDs, in the order asked: one Composite call per 1,000 IDs (deals-by-id.ts). */
  async getDeals(ids: readonly string[], context: LazyContext): Promise<CrmDeal[]> {
    const deals: CrmDeal[] = [];
    for await (const { opportunities, related } of readByIds(this.client, opportunityFields(context), recordIds(ids))) {
      if (opportunities.length > 0) deals.push(...(await this.assemble(opportunities, related, context)));
    }
    const order = new Map(ids.map((id, i) => [id.slice(0, 15), i]));
    return deals.sort((a, b) => (order.get(a.crmId.slice(0, 15)) ?? 0) - (order.get(b.crmId.slice(0, 15)) ?? 0));
  }
}
