/**
 * Orphaned links (`referral-missing`: Partner Center answered 404 for the referral, as it does when the
 * connector's Referrals User is taken off the deal's team or location scope) are checked again on their
 * own. Access given back changes nothing in the referral, so Partner Center's feed never lists it: until
 * 2026-12-06 such a link stayed orphaned, and its seller's CRM edits held, until someone changed the deal.
 *
 * The link's revisit time (`heldUntil`, as for holds and settled conflicts) says when: 10 minutes after the
 * 404, then a wait as long as the link has been orphaned (so the waits double), at most a day. A run checks
 * at most {@link ORPHAN_CHECKS_PER_RUN} due links, the longest-waiting first, with one GET each; a link not
 * due costs nothing, so an idle run with orphaned links makes no call for them between their times. A
 * referral readable again is synced with the CRM record as for a change in the feed (pair-decide.ts makes
 * the link active); one still gone waits longer.
 */
import type { CrmDeal, CrmWrite } from './crm-port.js';
import { NotFoundError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { flushCrmWrites } from './crm-writes.js';
import { leadAsDeal, writtenToLead } from './lead-pairs.js';
import { PageOutcome } from './page-outcome.js';
import { withPageRecords } from './page-records.js';
import { syncPair } from './pair.js';
import { nextOrphanCheck } from './backoff.js';

export const ORPHAN_CHECKS_PER_RUN = 20;

/**
 * Checks the orphaned links among `dueLinks` (the store's due revisits, oldest first: revisits.ts reads them
 * once for holds and orphans). A link orphaned before these checks existed was made due by the store's
 * migration (sqlite-schema.ts version 10), so it is among them too.
 */
export async function checkOrphans(runCtx: RunContext, dueLinks: readonly Link[]): Promise<void> {
  const due = dueLinks.filter((l) => l.state === 'referral-missing').slice(0, ORPHAN_CHECKS_PER_RUN);
  if (due.length === 0) return;
  const ctx = await withPageRecords(runCtx, due.flatMap((l) => [l.crmId, l.referralId]));
  ctx.tally.add('orphanChecks', due.length);
  const outcome = new PageOutcome();
  const readable: { link: Link; referral: Referral }[] = [];
  for (const link of due) {
    try {
      readable.push({ link, referral: await ctx.partnerCenter.get(link.referralId) });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // The orphaned-since time (updatedAt) is kept: it is what the next wait is reckoned from.
      outcome.links.push({ ...link, heldUntil: nextOrphanCheck(ctx.nowIso, link.updatedAt) });
    }
  }
  const leads = new Set(readable.filter(({ link }) => ctx.records.getLead(link.crmId)).map(({ link }) => link.crmId));
  const toRead = readable.filter(({ link }) => !leads.has(link.crmId)).map(({ link }) => link.crmId);
  let deals = new Map<string, CrmDeal>();
  if (toRead.length > 0) {
    ctx.tally.add('crmReadCalls');
    deals = new Map((await ctx.crm.getDeals(toRead)).map((d) => [d.crmId, d]));
  }
  const writes: CrmWrite[] = [];
  for (const { link, referral } of readable) {
    const lead = leads.has(link.crmId);
    const deal = lead ? leadAsDeal(link) : deals.get(link.crmId);
    if (!deal) {
      const { heldUntil: _check, ...rest } = link;
      outcome.links.push({ ...rest, state: 'crm-deleted', updatedAt: ctx.nowIso });
      continue;
    }
    ctx.logger.info({ crmId: link.crmId, referralId: link.referralId }, 'Partner Center shows an orphaned referral again: the link is active again');
    // Active before the pair is decided: a pair the seller paused meanwhile keeps the link as given, and
    // left orphaned without a check time it would be checked again at every run.
    const { heldUntil: _check, ...active } = link;
    const synced = await syncPair(ctx, { ...active, state: 'active' }, deal, referral);
    const pair = lead ? writtenToLead(synced) : synced;
    outcome.pairs.push(pair);
    if (pair.crmWrite) writes.push(pair.crmWrite);
  }
  await outcome.commit(ctx, await flushCrmWrites(ctx, writes), 'crm', undefined);
}
