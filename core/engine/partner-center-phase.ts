/**
 * One page of Partner Center's change feed: referrals linked to a CRM record are merged with the CRM's
 * current version (one batched read per page); referrals without a link get exactly one CRM opportunity,
 * ever — a create intent is stored before the call and the CRM is searched by referral ID first, so a
 * crash or a retry never creates a second one.
 */
import type { CrmDeal, CrmWrite } from '../../connectors/types.js';
import type { Referral } from '../model/referral.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { flushCrmWrites } from './crm-writes.js';
import { linkFromIds, newLink, withoutHistory } from './link-from-ids.js';
import { PageOutcome } from './page-outcome.js';
import { syncPair } from './pair.js';
import type { PartnerCenterPage } from './ports.js';
import { buildStatus } from './sync-status.js';

async function currentDeals(ctx: RunContext, crmIds: string[]): Promise<Map<string, CrmDeal>> {
  if (crmIds.length === 0) return new Map();
  ctx.tally.add('crmReadCalls');
  return new Map((await ctx.crm.getDeals(crmIds)).map((d) => [d.crmId, d]));
}

/** Links a referral to the CRM record that names it (or that it names) and syncs the pair at once. */
async function linkAndSync(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal, referral: Referral): Promise<void> {
  const { link, hold } = linkFromIds(ctx, outcome, deal, referral);
  ctx.tally.add('linked');
  const pair = withoutHistory(await syncPair(ctx, link, deal, referral, 0, hold), hold);
  outcome.pairs.push(pair);
  if (pair.crmWrite) writes.push(pair.crmWrite);
}

export async function processPartnerCenterPage(ctx: RunContext, page: PartnerCenterPage): Promise<void> {
  ctx.tally.add('pcPages');
  ctx.tally.add('pcRead', page.referrals.length);
  const outcome = new PageOutcome();
  const writes: CrmWrite[] = [];

  for (const bad of page.unmappable) {
    ctx.tally.add('parked');
    outcome.apply.push((tx) =>
      tx.park({ side: 'partner-center', recordId: bad.id, reasons: [{ code: 'mapping.unreadable', field: 'referral', message: bad.message, severity: 'error' }], fingerprint: bad.message, parkedAt: ctx.nowIso, attempts: 1 }),
    );
  }

  const linked: { link: Link; referral: Referral }[] = [];
  const unlinked: Referral[] = [];
  for (const referral of page.referrals) {
    const link = ctx.store.getLinkByReferralId(referral.referralId!);
    if (!link) unlinked.push(referral);
    else if (link.state === 'crm-deleted') ctx.tally.add('skipped');
    else linked.push({ link, referral });
  }

  // Referrals that name a CRM record (our own creates whose link was lost, or created with a CRM ID
  // elsewhere) are linked to it rather than duplicated.
  const named = unlinked.filter((r) => r.crmId && !ctx.store.getLinkByCrmId(r.crmId));
  const deals = await currentDeals(ctx, [...new Set([...linked.map((l) => l.link.crmId), ...named.map((r) => r.crmId!)])]);

  for (const { link, referral } of linked) {
    const deal = deals.get(link.crmId);
    if (!deal) {
      ctx.tally.add('orphaned');
      outcome.links.push({ ...link, state: 'crm-deleted', updatedAt: ctx.nowIso });
      continue;
    }
    const pair = await syncPair(ctx, link, deal, referral);
    outcome.pairs.push(pair);
    if (pair.crmWrite) writes.push(pair.crmWrite);
  }

  const toCreate: Referral[] = [];
  for (const referral of unlinked) {
    const deal = referral.crmId ? deals.get(referral.crmId) : undefined;
    if (deal) await linkAndSync(ctx, outcome, writes, deal, referral);
    else toCreate.push(referral);
  }

  if (toCreate.length > 0) {
    ctx.tally.add('crmReadCalls');
    const existing = await ctx.crm.findByReferralIds(toCreate.map((r) => r.referralId!));
    // A CRM record already carries the referral ID (a create a stopped run made, a lost store, a seller
    // who typed it): it is read and merged as a pair, never assumed to hold what the referral holds.
    const found = await currentDeals(ctx, [...new Set(toCreate.flatMap((r) => existing.get(r.referralId!) ?? []))]);
    const intents: string[] = [];
    for (const referral of toCreate) {
      const crmId = existing.get(referral.referralId!);
      if (crmId) {
        const deal = found.get(crmId);
        if (deal) await linkAndSync(ctx, outcome, writes, deal, referral);
        else {
          ctx.tally.add('linked');
          outcome.links.push(newLink(ctx, crmId, referral));
          outcome.apply.push((tx) => tx.deleteIntent('crm', referral.referralId!));
        }
        continue;
      }
      intents.push(referral.referralId!);
      const status = buildStatus({ state: 'synced', referral, referralLink: ctx.partnerCenter.referralLink(referral.referralId!), now: ctx.nowIso });
      writes.push({ kind: 'create', key: referral.referralId!, referral, status });
    }
    // The intent is stored before the create is sent: a crash after the call finds it and searches first.
    if (intents.length > 0 && !ctx.options.dryRun) {
      ctx.store.transaction((tx) => {
        for (const id of intents) if (!tx.getIntent('crm', id)) tx.putIntent({ target: 'crm', sourceId: id, createdAt: ctx.nowIso, attempts: 1 });
      });
    }
  }

  const results = await flushCrmWrites(ctx, writes);
  for (const write of writes) {
    if (write.kind !== 'create') continue;
    const result = results.get(write.key);
    if (!result?.ok) continue;
    const link: Link = { ...newLink(ctx, result.crmId, write.referral), lastStatus: write.status };
    if (result.modifiedAt) link.crmModifiedAt = result.modifiedAt;
    if (result.etag) link.crmEtag = result.etag;
    outcome.links.push(link);
    outcome.apply.push((tx) => tx.deleteIntent('crm', write.key));
  }
  outcome.commit(ctx, results, 'partner-center', page.cursor);
}
