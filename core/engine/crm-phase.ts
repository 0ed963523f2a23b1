/**
 * One page of the CRM's change feed: linked deals are merged against the link's base (Partner Center's
 * side was brought up to date by the Partner Center phase just before; a change since then comes back as
 * a 412 and is merged again); opted-in deals without a referral are checked against every creation rule
 * and created once; deletions orphan the link and never delete a referral.
 */
import type { CrmDeal, CrmWrite } from '../../connectors/types.js';
import { RemoteValidationError } from '../errors.js';
import { checkCreate } from '../rules/index.js';
import { blocking, describeViolations, type Violation } from '../rules/violation.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { flushCrmWrites } from './crm-writes.js';
import { linkFromIds, withoutHistory } from './link-from-ids.js';
import { contentFingerprint } from './fingerprint.js';
import { PageOutcome } from './page-outcome.js';
import { syncPair } from './pair.js';
import type { CrmChangePage } from '../../connectors/types.js';
import type { Referral } from '../model/referral.js';
import { referralWithIntent } from './seller-intent.js';
import { buildStatus } from './sync-status.js';

function pcView(link: Link) {
  return { ...link.base, ...(link.pcEtag ? { eTag: link.pcEtag } : {}), ...(link.pcUpdatedAt ? { updatedAt: link.pcUpdatedAt } : {}) };
}

/** Parks an unlinked deal that cannot be created, writing the reasons onto the record once. */
function refuse(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal, reasons: Violation[]): void {
  const print = contentFingerprint(deal.referral);
  const parked = ctx.store.getParked('crm', deal.crmId);
  ctx.logger.debug({ crmId: deal.crmId, parkedBefore: parked?.fingerprint, now: print, reasons: reasons.map((r) => r.code) }, 'refuse');
  if (parked?.fingerprint === print) return; // unchanged since parked
  ctx.tally.add('parked');
  outcome.apply.push((tx) => tx.park({ side: 'crm', recordId: deal.crmId, reasons, fingerprint: print, parkedAt: ctx.nowIso, attempts: 1 }));
  writes.push({ kind: 'status', key: deal.crmId, crmId: deal.crmId, status: buildStatus({ state: 'error', message: describeViolations(reasons), now: ctx.nowIso }) });
}

async function createReferral(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal): Promise<void> {
  const seen = referralWithIntent(deal);
  const location = seen.location ?? ctx.options.defaultLocation;
  const draft = { ...seen, crmId: deal.crmId, direction: 'outbound' as const, ...(location ? { location } : {}) };
  const problems: Violation[] = deal.problems.map((p) => ({ ...p, severity: 'error' as const }));
  const violations = problems.length > 0 ? problems : blocking(checkCreate(draft, { actor: 'us', now: ctx.now() }));
  if (violations.length > 0) return refuse(ctx, outcome, writes, deal, violations);
  if (ctx.options.dryRun) {
    ctx.tally.add('pcCreated');
    return;
  }
  // Recorded before the call: a crash after Partner Center created it is found by the CRM ID next time.
  // Only after such an earlier attempt can the referral exist already (a referral carrying this CRM ID
  // from anywhere else was linked by this run's Partner Center phase), so only then look up first.
  const earlier = ctx.store.getIntent('referral', deal.crmId);
  ctx.store.transaction((tx) => tx.putIntent({ target: 'referral', sourceId: deal.crmId, createdAt: ctx.nowIso, attempts: (earlier?.attempts ?? 0) + 1 }));
  let created;
  try {
    created = await ctx.partnerCenter.createIdempotent(draft, { lookupFirst: earlier !== undefined });
  } catch (error) {
    if (error instanceof RemoteValidationError) {
      return refuse(ctx, outcome, writes, deal, [{ code: 'remote.refused', field: error.context.field ?? error.context.target ?? 'referral', message: error.message, severity: 'error' }]);
    }
    throw error;
  }
  const referral = created.referral;
  ctx.tally.add(created.created ? 'pcCreated' : 'linked');
  const link: Link = {
    crmId: deal.crmId,
    referralId: referral.referralId!,
    ...(referral.engagementId ? { engagementId: referral.engagementId } : {}),
    base: referral,
    ...(referral.eTag ? { pcEtag: referral.eTag } : {}),
    ...(referral.updatedAt ? { pcUpdatedAt: referral.updatedAt } : {}),
    crmModifiedAt: deal.modifiedAt,
    state: 'active',
    updatedAt: ctx.nowIso,
  };
  // The rest of the deal (what Partner Center did not keep at creation) is merged like any linked pair.
  const pair = await syncPair(ctx, link, deal, referral);
  outcome.pairs.push(pair);
  const status = buildStatus({ state: pair.link.lastStatus?.state ?? 'synced', message: pair.link.lastStatus?.message ?? '', referral, referralLink: ctx.partnerCenter.referralLink(link.referralId), now: ctx.nowIso });
  writes.push(pair.crmWrite ?? { kind: 'status', key: deal.crmId, crmId: deal.crmId, status });
  if (!pair.crmWrite) pair.link.lastStatus = status;
  outcome.apply.push((tx) => {
    tx.deleteIntent('referral', deal.crmId);
    tx.unpark('crm', deal.crmId);
  });
}

export async function processCrmPage(ctx: RunContext, page: CrmChangePage): Promise<void> {
  ctx.tally.add('crmPages');
  ctx.tally.add('crmRead', page.deals.length);
  const outcome = new PageOutcome();
  const writes: CrmWrite[] = [];

  for (const crmId of page.deletedIds) {
    const link = ctx.store.getLinkByCrmId(crmId);
    if (link && link.state !== 'crm-deleted') {
      ctx.tally.add('orphaned');
      outcome.links.push({ ...link, state: 'crm-deleted', updatedAt: ctx.nowIso });
    }
  }

  for (const deal of page.deals) {
    let link = ctx.store.getLinkByCrmId(deal.crmId);
    const claimed = deal.referral.referralId;
    let adopted: { referral: Referral; hold: string[] } | undefined;
    if (!link && claimed) {
      // The CRM names a referral the store does not know (a restored backup, a lost store): adopt it,
      // every difference between the two decided as a conflict (link-from-ids.ts).
      const existing = ctx.store.getLinkByReferralId(claimed);
      if (existing) {
        ctx.tally.add('skipped');
        continue; // that referral already has its own CRM record: never a second link
      }
      const referral = await ctx.partnerCenter.get(claimed);
      const made = linkFromIds(ctx, outcome, deal, referral);
      link = made.link;
      adopted = { referral, hold: made.hold };
      ctx.tally.add('linked');
    }
    if (link) {
      if (link.state === 'referral-missing' || link.state === 'crm-deleted') {
        ctx.tally.add('skipped');
        continue;
      }
      // The base stands for Partner Center's side except where a conflict is open: then read it fresh.
      const pcCurrent = adopted?.referral ?? (ctx.store.openConflictFor(deal.crmId) ? await ctx.partnerCenter.get(link.referralId) : pcView(link));
      const pair = withoutHistory(await syncPair(ctx, link, deal, pcCurrent, 0, adopted?.hold), adopted?.hold ?? []);
      outcome.pairs.push(pair);
      if (pair.crmWrite) writes.push(pair.crmWrite);
    } else if (deal.intent.optedIn) {
      await createReferral(ctx, outcome, writes, deal);
    } else {
      ctx.tally.add('skipped');
    }
  }

  const results = await flushCrmWrites(ctx, writes);
  outcome.commit(ctx, results, 'crm', page.cursor);
}
