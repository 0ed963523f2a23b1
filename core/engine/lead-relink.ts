/**
 * A state store rebuilt from the CRM (lost, or replaced by an older copy) knows none of the leads the
 * connector created: a referral whose opportunity the CRM does not hold is looked up among the CRM's leads
 * by the referral ID each lead carries, and linked to its lead instead of being created again (no second
 * lead, no opportunity). A lead not converted yet is synced at once, so it shows Partner Center's referral
 * as it is now; a lead the seller converted meanwhile is followed to its opportunity by the next run's lead
 * pass (lead-conversions.ts), as if the store had never been lost.
 */
import type { CrmWrite } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import type { RunContext } from './context.js';
import { leadAsDeal, writtenToLead } from './lead-pairs.js';
import { newLink } from './link-from-ids.js';
import type { PageOutcome } from './page-outcome.js';
import { syncPair } from './pair.js';
import { recordRebuiltLink } from './rebuild-record.js';

/** Links the referrals that have a lead to it; returns those that have none (still to create). */
export async function relinkLeads(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], referrals: readonly Referral[]): Promise<Referral[]> {
  if (!ctx.options.leadsAsCrmLeads || referrals.length === 0) return [...referrals];
  ctx.tally.add('crmReadCalls');
  const leads = await ctx.crm.findLeads(referrals.map((r) => r.referralId!));
  await ctx.records.add(ctx.store, [...leads.values()].map((l) => l.leadId));
  const rest: Referral[] = [];
  for (const referral of referrals) {
    const referralId = referral.referralId!;
    const lead = leads.get(referralId);
    if (!lead || ctx.records.getLinkByCrmId(lead.leadId)) {
      rest.push(referral);
      continue;
    }
    ctx.logger.warn({ leadId: lead.leadId, referralId, converted: lead.convertedTo ?? false }, 'link rebuilt from the referral ID on a CRM lead');
    ctx.tally.add('linked');
    ctx.tally.add('rebuilt');
    const link = newLink(ctx, lead.leadId, referral);
    if (lead.convertedTo) outcome.links.push(link);
    else {
      const pair = writtenToLead(await syncPair(ctx, link, leadAsDeal(link, lead), referral));
      outcome.pairs.push(pair);
      if (pair.crmWrite) writes.push(pair.crmWrite);
    }
    outcome.apply.push(async (tx) => {
      await tx.putLead({ leadId: lead.leadId, referralId, createdAt: ctx.nowIso });
      await tx.deleteIntent('crm', referralId);
      await tx.unpark('partner-center', referralId);
      await recordRebuiltLink(tx, [], ctx.options.policy, ctx.nowIso);
    });
  }
  return rest;
}
