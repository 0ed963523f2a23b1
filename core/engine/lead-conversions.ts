/**
 * The leads the connector created, once per sync before the Partner Center phase (so that Partner Center's
 * changes reach a converted lead's opportunity, not the read-only converted lead), in one batched read of the
 * leads not converted yet:
 * - Converted: the referral follows the new opportunity. The link moves to that opportunity (same referral,
 *   same merge base: one pairing, never a second record) and the opportunity gets the referral's fields and
 *   status, referral ID included, as a create would have written them. From then on the pair syncs like any
 *   other; the seller answers the referral from the opportunity, as for any inbound referral.
 * - Answered on the lead (accept, or decline with a reason) while Partner Center still waits: the pair is
 *   synced against Partner Center's referral as it is now (lead-pairs.ts), so the answer goes through the
 *   same rules as one given on an opportunity, and the lead shows the outcome.
 * A dry run only plans the updates.
 */
import type { CrmLead, CrmWrite } from './crm-port.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { NotFoundError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import type { LeadRecord } from '../store/lead-records.js';
import type { RunContext } from './context.js';
import { flushCrmWrites } from './crm-writes.js';
import { leadAsDeal, writtenToLead } from './lead-pairs.js';
import { unitFields } from './merge/units.js';
import { PageOutcome } from './page-outcome.js';
import { syncPair } from './pair.js';
import { fitToCrm } from './shorten.js';
import { buildStatus } from './sync-status.js';
import { withPageRecords } from './page-records.js';
import { leadShows } from './shown-status.js';

/** Every canonical field the opportunity takes from the referral (the adapter writes those it maps). */
const ALL_FIELDS = SYNC_FIELDS.filter((f) => !f.setByConnector).flatMap((f) => unitFields(f.unit));

export async function followLeads(ctx: RunContext): Promise<void> {
  const open = await ctx.store.leads.openLeads();
  if (open.length === 0) return;
  ctx.tally.add('crmReadCalls');
  const leads = await ctx.crm.readLeads(open.map((l) => l.leadId));
  // The leads' links and the converted opportunities' in one read (page-records.ts), not two look-ups per lead.
  const converted = [...leads.values()].flatMap((l) => (l.convertedTo ? [l.convertedTo] : []));
  const withLinks = await withPageRecords(ctx, [...open.map((l) => l.leadId), ...converted]);
  await followConversions(withLinks, open, leads);
  const answered = await followAnswers(withLinks, open, leads);
  await restoreShownStatus(withLinks, open, leads, answered);
}

async function followConversions(ctx: RunContext, open: readonly LeadRecord[], leads: Map<string, CrmLead>): Promise<void> {
  const writes: CrmWrite[] = [];
  for (const lead of open) {
    const opportunityId = leads.get(lead.leadId)?.convertedTo;
    const link = ctx.records.getLinkByCrmId(lead.leadId);
    if (!opportunityId || !link) continue;
    const taken = ctx.records.getLinkByCrmId(opportunityId);
    if (taken) {
      ctx.logger.warn({ leadId: lead.leadId, opportunityId, linkedTo: taken.referralId }, 'a converted lead became an opportunity already linked to another referral; the lead keeps its referral');
      continue;
    }
    ctx.logger.info({ leadId: lead.leadId, opportunityId, referralId: link.referralId }, 'lead converted: the referral follows the new opportunity');
    await ctx.store.leads.convert(lead.leadId, opportunityId, ctx.nowIso);
    ctx.tally.add('linked');
    const status = buildStatus({ state: 'synced', referral: link.base, referralLink: ctx.partnerCenter.referralLink(link.referralId), now: ctx.nowIso });
    writes.push({ kind: 'update', key: opportunityId, crmId: opportunityId, referral: fitToCrm(link.base, ctx.crm.textLimits).referral, changedFields: ALL_FIELDS, status });
  }
  const results = await flushCrmWrites(ctx, writes);
  await ctx.store.transaction(async (tx) => {
    for (const write of writes) {
      const result = results.get(write.key);
      const link = await tx.getLinkByCrmId(write.key);
      if (!result?.ok || !link || write.kind !== 'update') continue;
      await tx.putLink({ ...link, lastStatus: write.status!, ...(result.modifiedAt ? { crmModifiedAt: result.modifiedAt } : {}), ...(result.etag ? { crmEtag: result.etag } : {}), updatedAt: ctx.nowIso });
    }
  });
}

/** Answers given on leads still waiting in Partner Center: one Partner Center read each (answers are few). The leads synced. */
async function followAnswers(ctx: RunContext, open: readonly LeadRecord[], leads: Map<string, CrmLead>): Promise<Set<string>> {
  const outcome = new PageOutcome();
  const writes: CrmWrite[] = [];
  for (const record of open) {
    const lead = leads.get(record.leadId);
    const link = ctx.records.getLinkByCrmId(record.leadId);
    if (!lead?.response || lead.convertedTo || !link || link.state !== 'active' || link.base.status !== 'New') continue;
    let referral: Referral;
    try {
      referral = await ctx.partnerCenter.get(link.referralId);
    } catch (error) {
      // A referral gone from Partner Center is found by its own change feed; the answer waits until then.
      if (error instanceof NotFoundError) continue;
      throw error;
    }
    const pair = writtenToLead(await syncPair(ctx, link, leadAsDeal(link, lead), referral));
    outcome.pairs.push(pair);
    if (pair.crmWrite) writes.push(pair.crmWrite);
  }
  const synced = new Set(outcome.pairs.map((p) => p.link.crmId));
  if (outcome.pairs.length > 0) await outcome.commit(ctx, await flushCrmWrites(ctx, writes), 'crm', undefined);
  return synced;
}

/**
 * A lead's status fields are the connector's, as an opportunity's are (shown-status.ts): a seller's (or a
 * workflow's) edit of them, seen in the lead read every run, is written over with the status last written.
 * Until 2026-12-06 a lead set to "error", or its message typed over, said so for ever. The status as the
 * org's automation saved it is kept with it (`SyncStatus.savedAs`), as for an opportunity.
 */
async function restoreShownStatus(ctx: RunContext, open: readonly LeadRecord[], leads: Map<string, CrmLead>, synced: ReadonlySet<string>): Promise<void> {
  const writes: CrmWrite[] = [];
  for (const record of open) {
    const lead = leads.get(record.leadId);
    const link = ctx.records.getLinkByCrmId(record.leadId);
    if (!lead || lead.convertedTo || link?.state !== 'active' || !link.lastStatus || synced.has(link.crmId) || leadShows(ctx.crm, lead, link.lastStatus)) continue;
    writes.push({ kind: 'status', key: record.leadId, crmId: record.leadId, status: link.lastStatus, target: 'lead' });
  }
  if (writes.length === 0) return;
  const results = await flushCrmWrites(ctx, writes);
  // What the lead shows now: the status as the org's automation saved it when it rewrote it (shown-status.ts),
  // or every run would take that form for an edit and write the status again; as written when it did not.
  await ctx.store.transaction(async (tx) => {
    for (const [leadId, result] of results) {
      const link = result.ok ? await tx.getLinkByCrmId(leadId) : undefined;
      if (!result.ok || !link?.lastStatus || (!result.savedStatus && !link.lastStatus.savedAs)) continue;
      const { savedAs: _was, ...written } = link.lastStatus;
      await tx.putLink({ ...link, lastStatus: { ...written, ...(result.savedStatus ? { savedAs: result.savedStatus } : {}) }, updatedAt: ctx.nowIso });
    }
  });
}
