/**
 * What processing one page decided, applied to the store in one transaction together with the page's
 * cursor: links, parked records, conflicts and the watermark move together or not at all.
 */
import type { CrmWriteResult } from '../../connectors/types.js';
import type { Link, Side, StoreTransaction, StoredCursor } from '../store/state-store.js';
import type { RunContext } from './context.js';
import type { PairResult } from './pair.js';

export class PageOutcome {
  readonly pairs: PairResult[] = [];
  readonly links: Link[] = [];
  readonly apply: ((tx: StoreTransaction) => void)[] = [];

  commit(ctx: RunContext, results: Map<string, CrmWriteResult>, side: Side, cursor: StoredCursor | undefined): void {
    if (ctx.options.dryRun) return;
    ctx.store.transaction((tx) => {
      for (const pair of this.pairs) {
        const write = pair.crmWrite;
        const result = write ? results.get(write.key) : undefined;
        const ok = !write || result?.ok === true;
        const link = ok ? pair.link : pair.linkIfCrmWriteFails;
        if (result?.ok) {
          if (result.modifiedAt) link.crmModifiedAt = result.modifiedAt;
          if (result.etag) link.crmEtag = result.etag;
        }
        tx.putLink(link);
        if (pair.park) tx.park(pair.park);
        else if (pair.unpark) tx.unpark('crm', link.crmId);
        if (pair.conflict) tx.addConflict(pair.conflict);
      }
      for (const link of this.links) tx.putLink(link);
      for (const step of this.apply) step(tx);
      if (cursor) tx.putCursor(side, cursor);
    });
  }
}
