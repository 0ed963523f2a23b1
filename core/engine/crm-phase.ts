/**
 * One page of the CRM's change feed: linked deals are merged against the link's base (Partner Center's
 * side was brought up to date by the Partner Center phase just before; a change since then comes back as
 * a 412 and is merged again); opted-in deals without a referral are checked against every creation rule
 * and created once; deletions orphan the link and never delete a referral.
 */
import type { CrmDeal, CrmWrite } from '../../connectors/types.js';
import { NotFoundError, RemoteValidationError } from '../errors.js';
import { sameValue } from '../model/diff.js';
import type { Referral } from '../model/referral.js';
import { judgeBinding } from './binding.js';
import { checkCreate, isAssessmentDeal } from '../rules/index.js';
import { blocking, describeViolations, type Violation } from '../rules/violation.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { settleNow, type PendingPage } from './write-buffer.js';
import { withPageRecords } from './page-records.js';
import { forEachBounded, pairConcurrency } from './bounded.js';
import { missingLinkedRecords } from './deletion-gap.js';
import { linkFromIds, withoutHistory } from './link-from-ids.js';
import { contentFingerprint } from './fingerprint.js';
import { PageOutcome } from './page-outcome.js';
import { syncPair } from './pair.js';
import { parkFor } from './parking.js';
import type { CrmChangePage } from '../../connectors/types.js';
import { buildStatus } from './sync-status.js';
import { newReferralDraft } from './outgoing-referral.js';
import { writeUnit } from './merge/units.js';

function pcView(link: Link) {
  return { ...link.base, ...(link.pcEtag ? { eTag: link.pcEtag } : {}), ...(link.pcUpdatedAt ? { updatedAt: link.pcUpdatedAt } : {}) };
}

/**
 * Parks an unlinked deal that cannot be created, writing the reasons onto the record once: a retry that
 * fails for the same reasons (after the back-off) counts again but writes nothing new onto the record.
 */
function refuse(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal, reasons: Violation[]): void {
  const print = contentFingerprint(deal.referral);
  const previous = ctx.records.getParked('crm', deal.crmId);
  ctx.logger.debug({ crmId: deal.crmId, parkedBefore: previous?.fingerprint, now: print, reasons: reasons.map((r) => r.code) }, 'refuse');
  const record = parkFor(ctx, { side: 'crm', recordId: deal.crmId, ...(deal.referral.dealName ? { name: deal.referral.dealName } : {}), reasons, fingerprint: print });
  if (!record) return; // unchanged since parked, and not due for a retry
  outcome.apply.push((tx) => tx.park(record));
  if (previous?.fingerprint === print && sameValue(previous.reasons, reasons)) return;
  writes.push({ kind: 'status', key: deal.crmId, crmId: deal.crmId, status: buildStatus({ state: 'error', message: describeViolations(reasons), now: ctx.nowIso }) });
}

/** The referral a CRM record's referral-ID field names, if the record may claim it; else why not. */
async function claimedReferral(ctx: RunContext, deal: CrmDeal, claimed: string): Promise<{ referral: Referral; reason?: undefined } | { referral?: undefined; reason: Violation }> {
  const existing = ctx.records.getLinkByReferralId(claimed);
  let referral: Referral | undefined;
  if (!existing) {
    try {
      referral = await ctx.partnerCenter.get(claimed);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return { reason: { code: 'binding.unconfirmed', field: 'referralId', message: `This record names referral ${claimed}, which Partner Center does not show (a mistyped ID, or a referral of another organisation). Clear or correct the referral ID on this record.`, severity: 'error' } };
    }
  }
  const verdict = judgeBinding({
    crmId: deal.crmId,
    referralId: claimed,
    crmNames: claimed,
    ...(referral?.crmId ? { partnerCenterNames: referral.crmId } : {}),
    ...(existing ? { referralLinkedTo: existing.crmId } : {}),
    createdByConnector: ctx.records.getIntent('referral', deal.crmId) !== undefined,
  });
  if (!verdict.bind) {
    ctx.logger.warn({ crmId: deal.crmId, referralId: claimed, reason: verdict.reason.message }, 'a CRM record claims a referral it is not bound to; parked');
    return { reason: verdict.reason };
  }
  return { referral: referral! };
}

async function createReferral(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal): Promise<void> {
  const { draft, location } = newReferralDraft(deal, ctx.options);
  const problems: Violation[] = deal.problems.map((p) => ({ ...p, severity: 'error' as const }));
  // Asked only for an assessment deal, so other creates cost no extra request.
  const assessmentsAllowed = isAssessmentDeal(draft) ? await ctx.partnerCenter.assessmentsAllowed() : undefined;
  const violations = problems.length > 0 ? problems : blocking(checkCreate(draft, { actor: 'us', now: ctx.now(), ...(assessmentsAllowed === undefined ? {} : { assessmentsAllowed }) }));
  if (violations.length > 0) return refuse(ctx, outcome, writes, deal, violations);
  if (ctx.options.dryRun) {
    ctx.tally.add('pcCreated');
    ctx.plan?.push({ side: 'partner-center', kind: 'create', crmId: deal.crmId, dealName: draft.dealName });
    // The real run then writes onto the record the referral it made (its ID and sync status, below): with
    // the location the deal got when the record named none (see the base below), else the status alone.
    if (deal.referral.location === undefined && location !== undefined) {
      ctx.tally.add('crmUpdated');
      ctx.plan?.push({ side: 'crm', kind: 'update', crmId: deal.crmId, dealName: draft.dealName, fields: ['location'] });
    } else {
      ctx.tally.add('statusWritten');
      ctx.plan?.push({ side: 'crm', kind: 'status', crmId: deal.crmId, dealName: draft.dealName, state: 'synced' });
    }
    return;
  }
  // Recorded before the call: a crash after Partner Center created it is found by the CRM ID next time.
  // Only after such an earlier attempt can the referral exist already (a referral carrying this CRM ID
  // from anywhere else was linked by this run's Partner Center phase), so only then look up first.
  const earlier = ctx.records.getIntent('referral', deal.crmId);
  await ctx.store.transaction((tx) => tx.putIntent({ target: 'referral', sourceId: deal.crmId, createdAt: ctx.nowIso, attempts: (earlier?.attempts ?? 0) + 1 }));
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
  // A referral this run created has nothing in the store; one an earlier attempt created is read.
  if (created.created) ctx.records.addNew([referral.referralId!]);
  else await ctx.records.add(ctx.store, [referral.referralId!]);
  const link: Link = {
    crmId: deal.crmId,
    referralId: referral.referralId!,
    ...(referral.engagementId ? { engagementId: referral.engagementId } : {}),
    // A record created without a location names none: the base holds none either, so the pair below writes
    // Partner Center's location onto the record and the seller sees which one the deal got.
    base: deal.referral.location === undefined ? writeUnit(referral, 'location', undefined) : referral,
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
  outcome.apply.push(async (tx) => {
    await tx.deleteIntent('referral', deal.crmId);
    await tx.unpark('crm', deal.crmId);
  });
}

/** One deal of a CRM page: merged with its referral, linked from the referral it names, or created in Partner Center. */
async function syncDeal(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal): Promise<void> {
  let link = ctx.records.getLinkByCrmId(deal.crmId);
  const claimed = deal.referral.referralId;
  let adopted: { referral: Referral; hold: string[] } | undefined;
  if (!link && claimed) {
    // The CRM names a referral the store does not know (a restored backup, a lost store, or a seller's
    // edit): adopted only when Partner Center names this record too (core/engine/binding.ts), every
    // difference between the two then decided as a conflict (link-from-ids.ts).
    const claim = await claimedReferral(ctx, deal, claimed);
    if (!claim.referral) {
      refuse(ctx, outcome, writes, deal, [claim.reason]);
      return;
    }
    const made = linkFromIds(ctx, outcome, deal, claim.referral);
    link = made.link;
    adopted = { referral: claim.referral, hold: made.hold };
    ctx.tally.add('linked');
  }
  if (link) {
    if (link.state === 'referral-missing' || link.state === 'crm-deleted') {
      ctx.tally.add('skipped');
      return;
    }
    // The base stands for Partner Center's side except where a conflict is open, or where the link is
    // due for a revisit (a settled conflict put the losing side's values in the base, so the base no
    // longer is Partner Center's side): then read it fresh. Syncing the pair here ends the revisit.
    const due = link.heldUntil !== undefined && link.heldUntil <= ctx.nowIso;
    const pcCurrent = adopted?.referral ?? (due || ctx.records.openConflictFor(deal.crmId) ? await ctx.partnerCenter.get(link.referralId) : pcView(link));
    const pair = withoutHistory(await syncPair(ctx, link, deal, pcCurrent, 0, adopted?.hold), adopted?.hold ?? []);
    outcome.pairs.push(pair);
    if (pair.crmWrite) writes.push(pair.crmWrite);
  } else if (deal.intent.optedIn) {
    await createReferral(ctx, outcome, writes, deal);
  } else {
    ctx.tally.add('skipped');
  }
}

export type CrmPageInput = Omit<CrmChangePage, 'cursor'> & { cursor?: CrmChangePage['cursor'] };

/** The record IDs a CRM page reads: its deals, the referrals they name, and the deleted records. */
export function crmPageIds(page: CrmPageInput): string[] {
  return [...page.deletedIds, ...page.deals.flatMap((d) => [d.crmId, ...(d.referral.referralId ? [d.referral.referralId] : [])])];
}

/** Decides a page and makes its Partner Center calls; its CRM writes and commit wait in the returned page. */
export async function planCrmPage(runCtx: RunContext, page: CrmPageInput): Promise<PendingPage> {
  const ctx = await withPageRecords(runCtx, crmPageIds(page));
  ctx.tally.add('crmPages');
  ctx.tally.add('crmRead', page.deals.length);
  const outcome = new PageOutcome();
  const writes: CrmWrite[] = [];

  const deletedIds = page.deletionsIncomplete ? [...new Set([...page.deletedIds, ...(await missingLinkedRecords(ctx))])] : page.deletedIds;
  await ctx.records.add(ctx.store, deletedIds);
  for (const crmId of deletedIds) {
    const link = ctx.records.getLinkByCrmId(crmId);
    if (link && link.state !== 'crm-deleted') {
      ctx.tally.add('orphaned');
      outcome.links.push({ ...link, state: 'crm-deleted', updatedAt: ctx.nowIso });
    }
  }

  await forEachBounded(page.deals, pairConcurrency(ctx, crmPageIds(page)), (deal) => syncDeal(ctx, outcome, writes, deal));

  return { writes, ids: [...crmPageIds(page), ...outcome.recordIds()], settle: (results) => outcome.commit(ctx, results, 'crm', page.cursor) };
}

/** A page of the change feed, or deals re-read for a retry (no cursor to move), written and committed on its own. */
export async function processCrmPage(ctx: RunContext, page: CrmPageInput): Promise<void> {
  await settleNow(ctx, await planCrmPage(ctx, page));
}
