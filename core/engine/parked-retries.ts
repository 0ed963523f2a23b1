/**
 * Parked records whose back-off has ended (backoff.ts) are tried again although neither side changed: a
 * refusal can pass later without an edit (an admin relaxes a validation rule, a service recovers). The
 * record is read fresh and goes through the same path as a change from its side's feed, so a success
 * links, creates or updates as usual and settles the park, and a failure parks it again for longer.
 */
import { ConnectorError, NotFoundError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import type { ParkedRecord } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { processCrmPage } from './crm-phase.js';
import { processPartnerCenterPage } from './partner-center-phase.js';

/** Retries per run: a mass refusal (a new validation rule refusing every deal) is worked off over several runs. */
export const RETRIES_PER_RUN = 50;

async function readReferrals(ctx: RunContext, ids: readonly string[]): Promise<{ referrals: Referral[]; unmappable: { id: string; message: string }[]; gone: string[] }> {
  const referrals: Referral[] = [];
  const unmappable: { id: string; message: string }[] = [];
  const gone: string[] = [];
  for (const id of ids) {
    try {
      referrals.push(await ctx.partnerCenter.get(id));
    } catch (error) {
      if (error instanceof NotFoundError) gone.push(id);
      else if (error instanceof ConnectorError && error.code === 'mapping_failed') unmappable.push({ id, message: error.message });
      else throw error;
    }
  }
  return { referrals, unmappable, gone };
}

export async function retryDueParked(ctx: RunContext): Promise<void> {
  const due = ctx.store.dueParked(ctx.nowIso, RETRIES_PER_RUN);
  if (due.length === 0) return;
  ctx.tally.add('retried', due.length);
  ctx.logger.info({ due: due.length }, 'retrying parked records whose back-off has ended');
  const gone: ParkedRecord[] = [];

  const crmIds = due.filter((p) => p.side === 'crm').map((p) => p.recordId);
  if (crmIds.length > 0) {
    ctx.tally.add('crmReadCalls');
    const deals = await ctx.crm.getDeals(crmIds);
    const found = new Set(deals.map((d) => d.crmId.toLowerCase()));
    gone.push(...due.filter((p) => p.side === 'crm' && !found.has(p.recordId.toLowerCase())));
    await processCrmPage(ctx, { deals, deletedIds: [] });
  }

  const referralIds = due.filter((p) => p.side === 'partner-center').map((p) => p.recordId);
  if (referralIds.length > 0) {
    const read = await readReferrals(ctx, referralIds);
    gone.push(...due.filter((p) => p.side === 'partner-center' && read.gone.includes(p.recordId)));
    await processPartnerCenterPage(ctx, { referrals: read.referrals, unmappable: read.unmappable, cursor: undefined });
  }

  if (ctx.options.dryRun) return;
  // A record the retry neither parked again nor settled no longer needs syncing (gone from its side, no
  // longer opted in, its link orphaned): nothing is left to lose, so the park is dropped.
  const untouched = due.filter((p) => {
    const now = ctx.store.getParked(p.side, p.recordId);
    return now !== undefined && now.attempts === p.attempts && now.retryAt === p.retryAt;
  });
  const dropped = [...new Set([...gone, ...untouched])];
  if (dropped.length === 0) return;
  ctx.store.transaction((tx) => {
    for (const p of dropped) tx.unpark(p.side, p.recordId);
  });
  ctx.logger.info({ records: dropped.map((p) => `${p.side}:${p.recordId}`) }, 'parked records that no longer need syncing were dropped');
}
