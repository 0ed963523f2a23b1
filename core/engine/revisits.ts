/**
 * Work due without any new change: a Won held by the 72-hour rule whose gap has ended, a conflict an admin
 * has settled, orphaned links due for a check (orphan-checks.ts), and parked records whose back-off has ended (parked-retries.ts). For holds and settled
 * conflicts both sides are read fresh (one batched CRM read, one GET per referral: these are few) and the
 * pair is synced as usual.
 */
import type { CrmWrite } from './crm-port.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { flushCrmWrites } from './crm-writes.js';
import { PageOutcome } from './page-outcome.js';
import { withPageRecords } from './page-records.js';
import { syncPair } from './pair.js';
import { retryDueParked } from './parked-retries.js';
import { checkOrphans } from './orphan-checks.js';

async function processDueHolds(runCtx: RunContext, dueLinks: readonly Link[]): Promise<void> {
  const due = dueLinks.filter((link) => link.state === 'active');
  if (due.length === 0) return;
  const ctx = await withPageRecords(runCtx, due.flatMap((l) => [l.crmId, l.referralId]));
  ctx.tally.add('crmReadCalls');
  const deals = new Map((await ctx.crm.getDeals(due.map((l) => l.crmId))).map((d) => [d.crmId, d]));
  const outcome = new PageOutcome();
  const writes: CrmWrite[] = [];
  for (const link of due) {
    const deal = deals.get(link.crmId);
    if (!deal) continue;
    const pair = await syncPair(ctx, { ...link, heldUntil: undefined } as typeof link, deal, await ctx.partnerCenter.get(link.referralId));
    outcome.pairs.push(pair);
    if (pair.crmWrite) writes.push(pair.crmWrite);
  }
  await outcome.commit(ctx, await flushCrmWrites(ctx, writes), 'crm', undefined);
}

export async function processDueRevisits(ctx: RunContext): Promise<void> {
  // One read of the due revisit times serves both: holds and settled conflicts (active links), orphan checks.
  const dueLinks = await ctx.store.dueHolds(ctx.nowIso);
  await processDueHolds(ctx, dueLinks);
  await checkOrphans(ctx, dueLinks);
  await retryDueParked(ctx);
}
