/**
 * What processing one page decided, applied to the store in one transaction together with the page's
 * cursor: links, parked records, conflicts and the watermark move together or not at all.
 */
import type { CrmWriteResult } from './crm-port.js';
import type { AsyncStoreTransaction } from '../store/async-state-store.js';
import type { Link, ParkedRecord, Side, StoredCursor } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { crmRefusal, failureOf, refusedStatus, staleWrite } from './crm-refusals.js';
import { refusedKey } from './crm-writes.js';
import type { PairResult } from './pair.js';
import { crmVersionLeft, parkFor } from './parking.js';

/** What a link takes from the refusal written onto its record: the status shown, and the version that write left. */
type ShownRefusal = Pick<Link, 'lastStatus' | 'crmEtag'>;

export class PageOutcome {
  readonly pairs: PairResult[] = [];
  readonly links: Link[] = [];
  /** Steps applied with the page's transaction, after its writes: `results` are those writes' results by key. */
  readonly apply: ((tx: AsyncStoreTransaction, results: ReadonlyMap<string, CrmWriteResult>) => Promise<unknown>)[] = [];

  /** The records this page decided on (both IDs of every link it stores). */
  recordIds(): string[] {
    return [...this.pairs.map((p) => p.link), ...this.links].flatMap((l) => [l.crmId, l.referralId]);
  }

  async commit(ctx: RunContext, results: Map<string, CrmWriteResult>, side: Side, cursor: StoredCursor | undefined): Promise<void> {
    const crmSide = this.crmWriteOutcomes(ctx, results, side);
    await ctx.store.transaction(async (tx) => {
      for (const pair of this.pairs) {
        const write = pair.crmWrite;
        const result = write ? results.get(write.key) : undefined;
        const ok = !write || result?.ok === true;
        const link = ok ? pair.link : { ...pair.linkIfCrmWriteFails, ...crmSide.shown.get(pair.link.crmId) };
        if (result?.ok) {
          if (result.modifiedAt) link.crmModifiedAt = result.modifiedAt;
          if (result.etag) link.crmEtag = result.etag;
          // The org's automation rewrote the status on save: that form is what the record shows (shown-status.ts).
          if (result.savedStatus && link.lastStatus) link.lastStatus = { ...link.lastStatus, savedAs: result.savedStatus };
        }
        await tx.putLink(link);
        if (pair.park) await tx.park(pair.park);
        else if (pair.unpark) await tx.unpark('crm', link.crmId);
        if (pair.conflict) await tx.addConflict(pair.conflict);
        if (pair.refreshConflict) await tx.refreshConflict(pair.refreshConflict.id, pair.refreshConflict.sides);
        if (pair.closeConflict) await tx.closeAgreedConflict(pair.closeConflict.id, pair.closeConflict.resolution, pair.closeConflict.at);
      }
      for (const referralId of crmSide.settled) await tx.unpark('partner-center', referralId);
      for (const link of this.links) await tx.putLink(link);
      for (const step of this.apply) await step(tx, results);
      // After the page's own steps: a step that clears a referral's old park when its pair is linked (a create
      // a stopped run made, bound now) must not clear the park its CRM write just earned (model seed 2631).
      for (const record of crmSide.parks) await tx.park(record);
      if (cursor) await tx.putCursor(side, cursor);
    });
  }

  /**
   * The pairs' CRM writes as parked records: a refused write parks the referral; in the Partner Center
   * phase, a write that went through (or none needed) settles the referral's park.
   */
  private crmWriteOutcomes(ctx: RunContext, results: Map<string, CrmWriteResult>, side: Side): { parks: ParkedRecord[]; settled: string[]; shown: Map<string, ShownRefusal> } {
    const parks: ParkedRecord[] = [];
    const settled: string[] = [];
    // The refusal written onto a record after its update failed: what the record now shows.
    const shown = new Map<string, ShownRefusal>();
    for (const pair of this.pairs) {
      const write = pair.crmWrite;
      const failure = write ? failureOf(write, results.get(write.key)) : undefined;
      if (write && failure) {
        const request = crmRefusal(ctx, write, failure) ?? staleWrite(ctx, write, failure);
        const record = request ? parkFor(ctx, request) : undefined;
        if (record) parks.push(record);
        const refusal = results.get(refusedKey(write.key));
        const status = refusal?.ok ? refusedStatus(ctx, write, failure) : undefined;
        // The version the refusal's write left when it was the engine's own: not read back (issue 13).
        const version = crmVersionLeft(undefined, refusal);
        if (status) shown.set(pair.link.crmId, { lastStatus: status, ...(version ? { crmEtag: version } : {}) });
        continue;
      }
      // Only a pair synced against Partner Center's current referral proves the referral is in the CRM: the
      // CRM phase compares with the base, which still lacks what the CRM refused, unless it adopted the pair
      // from the referral it read. An adopted pair's park predates its link (a create of ours reported failed
      // after it saved the record, stored by this run's Partner Center phase perhaps after this page was read):
      // it goes, and the next run writes the pair without waiting for it (model seed 2522).
      if (pair.againstCurrentReferral) settled.push(pair.link.referralId);
      if (pair.waitingForRetry || side !== 'partner-center') continue;
      if (ctx.records.getParked('partner-center', pair.link.referralId)) settled.push(pair.link.referralId);
    }
    return { parks, settled, shown };
  }
}
