/**
 * One page of the CRM's change feed: linked deals are merged against the link's base (Partner Center's
 * side was brought up to date by the Partner Center phase just before; a change since then comes back as
 * a 412 and is merged again); opted-in deals without a referral are checked against every creation rule
 * and created once (crm-create.ts); deletions orphan the link and never delete a referral.
 */
import type { CrmDeal, CrmWrite } from './crm-port.js';
import { NotFoundError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import { isOwnCrmCreate, isSameDeal, judgeBinding, mayBindAsOnlyClaimant, type BindingClaim } from './binding.js';
import { isTerminal } from '../rules/index.js';
import type { Violation } from '../rules/violation.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { settleNow, type PendingPage } from './write-buffer.js';
import { withPageRecords } from './page-records.js';
import { forEachBounded, pairConcurrency } from './bounded.js';
import { missingLinkedRecords } from './deletion-gap.js';
import { linkFromIds, withoutHistory } from './link-from-ids.js';
import { PageOutcome } from './page-outcome.js';
import { syncPair } from './pair.js';
import type { CrmChangePage } from './crm-port.js';
import { isPaused, wasPaused } from './paused-pair.js';
import { prepareCreates, refuse, sendCreate, type PreparedCreate } from './crm-create.js';
import { clearedStatusWrite } from './shown-status.js';
import { recordOrphaned } from './orphaned-record.js';
import { rememberUnlinkedWrites } from './unlinked-versions.js';

function pcView(link: Link) {
  return { ...link.base, ...(link.pcEtag ? { eTag: link.pcEtag } : {}), ...(link.pcUpdatedAt ? { updatedAt: link.pcUpdatedAt } : {}) };
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
  const claim: BindingClaim = {
    crmId: deal.crmId,
    referralId: claimed,
    crmNames: claimed,
    ...(referral?.crmId ? { partnerCenterNames: referral.crmId } : {}),
    ...(existing ? { referralLinkedTo: existing.crmId, referralLinkDeleted: existing.state === 'crm-deleted' } : {}),
    // Our own create either way: a referral made from this record, or this record made from the referral
    // (an inbound create the CRM left unfinished: a related row refused, its intent kept).
    createdByConnector: ctx.records.getIntent('referral', deal.crmId) !== undefined || isOwnCrmCreate(ctx.records.getIntent('crm', claimed) !== undefined, deal.referral, referral),
    ...(referral ? { referralClosed: isTerminal(referral), sameDeal: isSameDeal(deal.referral, referral) } : {}),
  };
  if (mayBindAsOnlyClaimant(claim)) {
    ctx.tally.add('crmReadCalls');
    const carriers = (await ctx.crm.findAllByReferralIds([claimed])).get(claimed) ?? [];
    claim.soleClaimant = carriers.length === 1 && carriers[0]!.toLowerCase() === deal.crmId.toLowerCase();
  }
  const verdict = judgeBinding(claim);
  if (!verdict.bind) {
    ctx.logger.warn({ crmId: deal.crmId, referralId: claimed, reason: verdict.reason.message }, 'a CRM record claims a referral it is not bound to; parked');
    return { reason: verdict.reason };
  }
  return { referral: referral! };
}

/** One deal of a CRM page: merged with its referral, linked from the referral it names, or created in Partner Center. */
async function syncDeal(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal, creates: ReadonlyMap<string, PreparedCreate>): Promise<void> {
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
  // A record listed by the CRM exists: one whose link says deleted was restored (Salesforce's Recycle Bin,
  // Dataverse's restore keep its ID). Until 2026-12-06 it stayed orphaned and its edits were never sent.
  const restored = link?.state === 'crm-deleted';
  if (link && restored) {
    ctx.logger.info({ crmId: deal.crmId, referralId: link.referralId }, 'a CRM record linked as deleted exists again (restored): the link is active again');
    link = { ...link, state: 'active' };
  }
  if (link) {
    if (link.state === 'referral-missing') {
      ctx.tally.add('skipped');
      // Nothing syncs, but the record keeps saying so, and the link the version it leaves (orphaned-record.ts).
      recordOrphaned(ctx, outcome, writes, link, deal);
      return;
    }
    // The base stands for Partner Center's side except where a conflict is open, or where the link is
    // due for a revisit (a settled conflict put the losing side's values in the base, so the base no
    // longer is Partner Center's side), or where the pair was paused or its record deleted (Partner Center's
    // changes meanwhile are not in the base): then read it fresh. Syncing the pair here ends the revisit. A paused pair needs
    // no read at all.
    const due = link.heldUntil !== undefined && link.heldUntil <= ctx.nowIso;
    // A referral parked because its CRM write failed is read fresh too: that link's base keeps the CRM-bound
    // units as they were, not as Partner Center holds them, and a write the CRM applied in part before it
    // failed (team rows saved, the contact role refused) would otherwise be sent back as the seller's addition,
    // appending a member Partner Center already has (model seed 2631).
    const crmWriteFailed = ctx.records.getParked('partner-center', link.referralId) !== undefined;
    const fresh = !isPaused(deal) && (due || restored || crmWriteFailed || wasPaused(link) || ctx.records.openConflictFor(deal.crmId) !== undefined);
    const pcCurrent = adopted?.referral ?? (fresh ? await ctx.partnerCenter.get(link.referralId) : pcView(link));
    const pair = withoutHistory(await syncPair(ctx, link, deal, pcCurrent, 0, adopted?.hold), adopted?.hold ?? []);
    outcome.pairs.push(adopted ? { ...pair, againstCurrentReferral: true } : pair);
    if (pair.crmWrite) writes.push(pair.crmWrite);
  } else if (deal.intent.optedIn) {
    // Decided and recorded with the page's other creates (crm-create.ts); absent when refused or only planned.
    const create = creates.get(deal.crmId);
    if (create) await sendCreate(ctx, outcome, writes, deal, create);
  } else {
    ctx.tally.add('skipped');
    // Not synced, so the record says nothing: a status copied with a clone, or left from before, is emptied.
    const clear = clearedStatusWrite(deal);
    if (clear) writes.push(clear);
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
    // A deleted record that waited for its seller's fix has nothing left to sync: left parked, it kept
    // `cosell status` listing it and `sync` ending with 7 until its next retry found it gone.
    if (ctx.records.getParked('crm', crmId)) outcome.apply.push((tx) => tx.unpark('crm', crmId));
  }

  const creates = await prepareCreates(ctx, outcome, writes, page.deals);
  await forEachBounded(page.deals, pairConcurrency(ctx, crmPageIds(page)), (deal) => syncDeal(ctx, outcome, writes, deal, creates));
  // A record whose copied status was emptied has no link or park to keep the version left: kept apart.
  rememberUnlinkedWrites(outcome, writes, ctx.nowIso);

  return { writes, ids: [...crmPageIds(page), ...outcome.recordIds()], settle: (results) => outcome.commit(ctx, results, 'crm', page.cursor) };
}

/** A page of the change feed, or deals re-read for a retry (no cursor to move), written and committed on its own. */
export async function processCrmPage(ctx: RunContext, page: CrmPageInput): Promise<void> {
  await settleNow(ctx, await planCrmPage(ctx, page));
}

/**
 * Records read again by ID (one batched read) and processed as a page without a cursor: deals whose
 * customer the run changed (shared-customers.ts), records a targeted sync made (targeted-sync.ts).
 * `onRead` sees the deals found before they are processed.
 */
export async function processCrmRecordsById(ctx: RunContext, crmIds: readonly string[], onRead?: (deals: readonly CrmDeal[]) => void): Promise<void> {
  ctx.tally.add('crmReadCalls');
  const deals = await ctx.crm.getDeals(crmIds);
  onRead?.(deals);
  if (deals.length > 0) await processCrmPage(ctx, { deals, deletedIds: [] });
}
