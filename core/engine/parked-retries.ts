/**
 * Parked records whose back-off has ended (backoff.ts) are tried again although neither side changed: a
 * refusal can pass later without an edit (an admin relaxes a validation rule, a service recovers). The
 * record is read fresh and goes through the same path as a change from its side's feed, so a success
 * links, creates or updates as usual and settles the park, and a failure parks it again for longer.
 *
 * Stranded create intents are tried the same way: an intent with neither a link nor a park is a create
 * that failed without being parked (versions before parking covered CRM refusals left only the intent,
 * and the referral was never tried again).
 */
import { ConnectorError, NotFoundError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import type { Side } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { processCrmPage } from './crm-phase.js';
import { PageRecords } from './page-records.js';
import { processPartnerCenterPage } from './partner-center-phase.js';

/** Retries per run: a mass refusal (a new validation rule refusing every deal) is worked off over several runs. */
export const RETRIES_PER_RUN = 50;

interface Target {
  side: Side;
  recordId: string;
  /** The park as it was before the retry; absent for a stranded intent. */
  attempts?: number;
  retryAt?: string;
}

const key = (t: { side: Side; recordId: string }) => `${t.side}:${t.recordId}`;
const linked = (records: PageRecords, t: Target) => (t.side === 'crm' ? records.getLinkByCrmId(t.recordId) : records.getLinkByReferralId(t.recordId)) !== undefined;
const intentTarget = (side: Side) => (side === 'crm' ? 'referral' : 'crm');

async function strandedIntents(ctx: RunContext): Promise<Target[]> {
  const intents = (await ctx.store.listIntents())
    .filter((i) => i.createdAt < ctx.nowIso)
    .map((i): Target => ({ side: i.target === 'crm' ? 'partner-center' : 'crm', recordId: i.sourceId }));
  const records = await PageRecords.load(ctx.store, intents.map((t) => t.recordId));
  return intents.filter((t) => !linked(records, t) && !records.getParked(t.side, t.recordId));
}

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
  const due: Target[] = (await ctx.store.dueParked(ctx.nowIso, RETRIES_PER_RUN)).map((p) => ({ side: p.side, recordId: p.recordId, attempts: p.attempts, ...(p.retryAt ? { retryAt: p.retryAt } : {}) }));
  const seen = new Set(due.map(key));
  const targets = [...due, ...(await strandedIntents(ctx)).filter((t) => !seen.has(key(t)))].slice(0, RETRIES_PER_RUN);
  if (targets.length === 0) return;
  ctx.tally.add('retried', targets.length);
  ctx.logger.info({ records: targets.length }, 'retrying parked records whose back-off has ended, and stranded creates');
  const gone = new Set<string>();

  const crmIds = targets.filter((t) => t.side === 'crm').map((t) => t.recordId);
  if (crmIds.length > 0) {
    ctx.tally.add('crmReadCalls');
    const deals = await ctx.crm.getDeals(crmIds);
    const found = new Set(deals.map((d) => d.crmId.toLowerCase()));
    for (const id of crmIds) if (!found.has(id.toLowerCase())) gone.add(key({ side: 'crm', recordId: id }));
    await processCrmPage(ctx, { deals, deletedIds: [] });
  }
  const referralIds = targets.filter((t) => t.side === 'partner-center').map((t) => t.recordId);
  if (referralIds.length > 0) {
    const read = await readReferrals(ctx, referralIds);
    for (const id of read.gone) gone.add(key({ side: 'partner-center', recordId: id }));
    await processPartnerCenterPage(ctx, { referrals: read.referrals, unmappable: read.unmappable, cursor: undefined });
  }
  await dropSettled(ctx, targets, gone);
}

/**
 * A record the retry neither parked again nor linked no longer needs syncing (gone from its side, no longer
 * opted in, its link orphaned): nothing is left to lose, so its park and any stranded intent are dropped.
 */
async function dropSettled(ctx: RunContext, targets: readonly Target[], gone: ReadonlySet<string>): Promise<void> {
  // Read after the retry's pages committed: what the retry left parked or linked.
  const records = await PageRecords.load(ctx.store, targets.map((t) => t.recordId));
  const dropped = targets.filter((t) => {
    if (gone.has(key(t))) return true;
    const now = records.getParked(t.side, t.recordId);
    if (t.attempts === undefined) return now === undefined && !linked(records, t);
    return now !== undefined && now.attempts === t.attempts && now.retryAt === t.retryAt;
  });
  if (dropped.length === 0) return;
  await ctx.store.transaction(async (tx) => {
    for (const t of dropped) {
      await tx.unpark(t.side, t.recordId);
      await tx.deleteIntent(intentTarget(t.side), t.recordId);
    }
  });
  ctx.logger.info({ records: dropped.map(key) }, 'parked records and create intents that no longer need syncing were dropped');
}
