/**
 * Leads the seller converted: the referral follows the new opportunity. Runs once per sync, between the
 * Partner Center and CRM phases. For each lead the connector created and has not seen converted, it asks the
 * CRM (one batched read) which opportunity the lead became; the link moves to that opportunity (same
 * referral, same merge base: one pairing, never a second record) and the opportunity gets the referral's
 * fields and status, referral ID included, as a create would have written them. From then on the pair syncs
 * like any other; the seller answers the referral from the opportunity (accept or decline), as for any
 * inbound referral. A dry run only plans the update.
 */
import type { CrmWrite } from '../../connectors/types.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import type { RunContext } from './context.js';
import { flushCrmWrites } from './crm-writes.js';
import { unitFields } from './merge/units.js';
import { fitToCrm } from './shorten.js';
import { buildStatus } from './sync-status.js';

/** Every canonical field the opportunity takes from the referral (the adapter writes those it maps). */
const ALL_FIELDS = SYNC_FIELDS.filter((f) => !f.setByConnector).flatMap((f) => unitFields(f.unit));

export async function followLeadConversions(ctx: RunContext): Promise<void> {
  const open = ctx.store.leads.openLeads();
  if (open.length === 0) return;
  ctx.tally.add('crmReadCalls');
  const conversions = await ctx.crm.leadConversions(open.map((l) => l.leadId));
  const writes: CrmWrite[] = [];
  for (const lead of open) {
    const opportunityId = conversions.get(lead.leadId);
    const link = ctx.store.getLinkByCrmId(lead.leadId);
    if (!opportunityId || !link) continue;
    const taken = ctx.store.getLinkByCrmId(opportunityId);
    if (taken) {
      ctx.logger.warn({ leadId: lead.leadId, opportunityId, linkedTo: taken.referralId }, 'a converted lead became an opportunity already linked to another referral; the lead keeps its referral');
      continue;
    }
    ctx.logger.info({ leadId: lead.leadId, opportunityId, referralId: link.referralId }, 'lead converted: the referral follows the new opportunity');
    if (!ctx.options.dryRun) ctx.store.transaction(() => ctx.store.leads.convert(lead.leadId, opportunityId, ctx.nowIso));
    ctx.tally.add('linked');
    const status = buildStatus({ state: 'synced', referral: link.base, referralLink: ctx.partnerCenter.referralLink(link.referralId), now: ctx.nowIso });
    writes.push({ kind: 'update', key: opportunityId, crmId: opportunityId, referral: fitToCrm(link.base, ctx.crm.textLimits).referral, changedFields: ALL_FIELDS, status });
  }
  const results = await flushCrmWrites(ctx, writes);
  if (ctx.options.dryRun) return;
  ctx.store.transaction((tx) => {
    for (const write of writes) {
      const result = results.get(write.key);
      const link = tx.getLinkByCrmId(write.key);
      if (!result?.ok || !link || write.kind !== 'update') continue;
      tx.putLink({ ...link, lastStatus: write.status!, ...(result.modifiedAt ? { crmModifiedAt: result.modifiedAt } : {}), ...(result.etag ? { crmEtag: result.etag } : {}), updatedAt: ctx.nowIso });
    }
  });
}
