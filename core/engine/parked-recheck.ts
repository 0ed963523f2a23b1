/**
 * A parked CRM record is re-checked when anything it was built from changes, not only the opportunity:
 * an account fixed in the CRM (its country back to an ISO code) changes the deal the connector reads, but
 * not the opportunity's own modification time, so neither CRM's opportunity feed brings it back. Once per
 * run the parked records are read again (one batched read) and those whose content fingerprint moved are
 * processed like a page of the CRM's feed: sent if they pass now, parked again with the current reasons
 * if not. A record whose content did not change is left alone, so nothing is retried for nothing.
 */
import type { CrmDeal } from './crm-port.js';
import type { RunContext } from './context.js';
import { processCrmPage } from './crm-phase.js';
import { contentFingerprint } from './fingerprint.js';
import { referralWithIntent } from './seller-intent.js';

/** The most parked records re-read in one run; the rest wait for the next. */
const RECHECK_LIMIT = 2000;

/** Parking fingerprints the CRM's view with or without the seller's answer applied: either matches. */
function unchanged(deal: CrmDeal, fingerprint: string): boolean {
  const withIntent = { ...referralWithIntent(deal), crmId: deal.referral.crmId ?? deal.crmId };
  return fingerprint === contentFingerprint(deal.referral) || fingerprint === contentFingerprint(withIntent);
}

export async function recheckParked(ctx: RunContext): Promise<void> {
  const parked = await ctx.store.listParked({ side: 'crm', limit: RECHECK_LIMIT });
  if (parked.length === 0) return;
  ctx.tally.add('crmReadCalls');
  const prints = new Map(parked.map((p) => [p.recordId, p.fingerprint]));
  const deals = (await ctx.crm.getDeals([...prints.keys()])).filter((d) => !unchanged(d, prints.get(d.crmId) ?? ''));
  if (deals.length === 0) return;
  ctx.logger.debug({ crmIds: deals.map((d) => d.crmId) }, 'parked records changed through a related record');
  await processCrmPage(ctx, { deals, deletedIds: [] });
}
