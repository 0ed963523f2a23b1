/**
 * One page of Partner Center's change feed: referrals linked to a CRM record are merged with the CRM's
 * current version (one batched read per page); referrals without a link get exactly one CRM opportunity,
 * ever — a create intent is stored before the call and the CRM is searched by referral ID first, so a
 * crash or a retry never creates a second one.
 */
import type { CrmDeal, CrmWrite, CrmWriteResult } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { crmRefusal, failureOf } from './crm-refusals.js';
import { linkFromIds, newLink, withoutHistory } from './link-from-ids.js';
import { PageOutcome } from './page-outcome.js';
import { syncPair } from './pair.js';
import { parkFor } from './parking.js';
import type { PartnerCenterPage } from './ports.js';
import { fitToCrm, shortenedNote } from './shorten.js';
import { buildStatus } from './sync-status.js';
import type { Violation } from '../rules/violation.js';
import { isOwnCrmCreate, isSameDeal, judgeBinding } from './binding.js';
import { isTerminal } from '../rules/index.js';
import { contentFingerprint } from './fingerprint.js';
import { settleNow, type PendingPage } from './write-buffer.js';
import { withPageRecords } from './page-records.js';
import { forEachBounded, pairConcurrency } from './bounded.js';
import { isPartnerCenterLead } from '../model/lead.js';
import { withoutEchoes } from './echoes.js';
import { leadAsDeal, writtenToLead } from './lead-pairs.js';
import { relinkLeads } from './lead-relink.js';
import { CrmReadAhead } from './crm-read-ahead.js';
import { recordCrmCreateIntents } from '../store/crm-create-intents.js';

/** Only an inbound referral from Microsoft can have been a lead (core/model/lead.ts). */
const mayBeLead = (r: Referral) => r.direction === 'inbound' && r.dealType !== 'partner-to-partner';


/** A referral whose CRM reference the named record does not confirm: parked, never linked or duplicated. */
function parkUnbound(ctx: RunContext, outcome: PageOutcome, referral: Referral, reason: Violation): void {
  const fingerprint = contentFingerprint(referral);
  if (ctx.records.getParked('partner-center', referral.referralId!)?.fingerprint === fingerprint) return;
  ctx.logger.warn({ referralId: referral.referralId, crmId: referral.crmId, reason: reason.message }, 'a referral names a CRM record it is not bound to; parked');
  ctx.tally.add('parked');
  outcome.apply.push((tx) => tx.park({ side: 'partner-center', recordId: referral.referralId!, reasons: [reason], fingerprint, parkedAt: ctx.nowIso, attempts: 1 }));
}

/**
 * An unlinked referral that names, in this CRM's own ID shape, an opportunity the CRM does not have: its
 * record was deleted, and the orphaned link that said so went with a lost or rebuilt state store. It is
 * linked as orphaned again, as before the loss, never made again (until 2026-12-06 `cosell state rebuild`
 * brought back every opportunity a seller had deleted). Called only once no CRM record carries its ID.
 */
const namesDeletedRecord = (ctx: RunContext, referral: Referral): boolean => referral.crmId !== undefined && ctx.crm.isRecordId?.(referral.crmId) === true;

function orphanOfDeletedRecord(ctx: RunContext, outcome: PageOutcome, referral: Referral): void {
  ctx.logger.warn({ referralId: referral.referralId, crmId: referral.crmId }, `the referral names ${ctx.crm.displayName} record ${referral.crmId}, which no longer exists: linked as deleted in the CRM, not created again`);
  ctx.tally.add('orphaned');
  outcome.links.push({ ...newLink(ctx, referral.crmId!, referral), state: 'crm-deleted' });
}

/** Links a referral to the CRM record that names it (or that it names) and syncs the pair at once. */
async function linkAndSync(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal, referral: Referral, readAhead: CrmReadAhead): Promise<void> {
  const { link, hold } = linkFromIds(ctx, outcome, deal, referral);
  ctx.tally.add('linked');
  const pair = withoutHistory(await syncPair(ctx, link, deal, referral, 0, hold), hold);
  readAhead.markDecided(deal);
  outcome.pairs.push(pair);
  if (pair.crmWrite) writes.push(pair.crmWrite);
}

/** The record IDs a Partner Center page reads: its referrals and the CRM records they name. */
export function partnerCenterPageIds(page: PartnerCenterPage): string[] {
  return page.referrals.flatMap((r) => [r.referralId!, ...(r.crmId ? [r.crmId] : [])]);
}

/**
 * Decides a page and makes its Partner Center calls; its CRM writes and commit wait in the returned page.
 * `readAhead` holds the CRM records of this and the next pages when the run read them together; without
 * it the page reads its CRM records itself (one call).
 */
export async function planPartnerCenterPage(runCtx: RunContext, listed: PartnerCenterPage, readAhead = new CrmReadAhead(runCtx)): Promise<PendingPage> {
  // Our own creates and updates coming back: nothing new, no records to load and no CRM read (issue 13).
  const { page, echoes } = await withoutEchoes(runCtx, listed);
  const ctx = await withPageRecords(runCtx, partnerCenterPageIds(page));
  ctx.tally.add('pcPages');
  ctx.tally.add('pcRead', listed.referrals.length);
  if (echoes > 0) ctx.tally.add('echoes', echoes);
  const outcome = new PageOutcome();
  const writes: CrmWrite[] = [];

  for (const bad of page.unmappable) {
    const record = parkFor(ctx, { side: 'partner-center', recordId: bad.id, reasons: [{ code: 'mapping.unreadable', field: 'referral', message: bad.message, severity: 'error' }], fingerprint: bad.message });
    if (record) outcome.apply.push((tx) => tx.park(record));
  }

  const linked: { link: Link; referral: Referral; lead?: true }[] = [];
  const unlinked: Referral[] = [];
  for (const referral of page.referrals) {
    const link = ctx.records.getLinkByReferralId(referral.referralId!);
    if (!link) unlinked.push(referral);
    else if (link.state === 'crm-deleted') ctx.tally.add('skipped');
    // A lead not converted yet shows Partner Center's changes (lead-pairs.ts); its conversion moves the pair (lead-conversions.ts).
    else if (ctx.records.getLead(link.crmId)) linked.push({ link, referral, lead: true });
    else linked.push({ link, referral });
  }

  // Referrals that name a CRM record (our own creates whose link was lost, a restored store, or an edit
  // of the CRM reference in Partner Center) are linked to it only when the record agrees (binding.ts).
  const named = unlinked.filter((r) => r.crmId && !ctx.records.getLinkByCrmId(r.crmId));
  const deals = await readAhead.current([...new Set([...linked.filter((l) => !l.lead).map((l) => l.link.crmId), ...named.map((r) => r.crmId!)])]);
  // Read to merge (or served from this run's read of them): counted as read, as the CRM phase counts its pages.
  // The CRM phase leaves out a record decided here (crm-read-ahead.ts), so each is counted once; until
  // 2026-12-06 the run summary said "read 0 opportunities" for a run that merged and updated one.
  ctx.tally.add('crmRead', deals.size);

  await forEachBounded(linked, pairConcurrency(ctx, partnerCenterPageIds(page)), async ({ link, referral, lead }) => {
    const deal = lead ? leadAsDeal(link) : deals.get(link.crmId);
    if (!deal) {
      ctx.tally.add('orphaned');
      outcome.links.push({ ...link, state: 'crm-deleted', updatedAt: ctx.nowIso });
      return;
    }
    const synced = await syncPair(ctx, link, deal, referral);
    if (!lead) readAhead.markDecided(deal);
    const pair = lead ? writtenToLead(synced) : synced;
    outcome.pairs.push(pair);
    if (pair.crmWrite) writes.push(pair.crmWrite);
  });

  const toCreate: Referral[] = [];
  for (const referral of unlinked) {
    const deal = referral.crmId ? deals.get(referral.crmId) : undefined;
    const claimedRecordLink = referral.crmId ? ctx.records.getLinkByCrmId(referral.crmId) : undefined;
    if (deal || claimedRecordLink) {
      const verdict = judgeBinding({
        crmId: referral.crmId!,
        referralId: referral.referralId!,
        partnerCenterNames: referral.crmId!,
        ...(deal?.referral.referralId ? { crmNames: deal.referral.referralId } : {}),
        ...(claimedRecordLink ? { recordLinkedTo: claimedRecordLink.referralId } : {}),
        createdByConnector: ctx.records.getIntent('referral', referral.crmId!) !== undefined,
      });
      if (!verdict.bind) {
        parkUnbound(ctx, outcome, referral, verdict.reason);
        continue;
      }
    }
    if (deal) await linkAndSync(ctx, outcome, writes, deal, referral, readAhead);
    else toCreate.push(referral);
  }

  const creating = new Map<string, Referral>();
  if (toCreate.length > 0) {
    ctx.tally.add('crmReadCalls');
    const carriers = await ctx.crm.findAllByReferralIds(toCreate.map((r) => r.referralId!));
    const existing = new Map([...carriers].map(([referralId, crmIds]) => [referralId, crmIds[0]!]));
    // A CRM record already carries the referral ID (a create a stopped run made, a lost store, a seller
    // who typed it): it is read and merged as a pair, never assumed to hold what the referral holds.
    const found = await readAhead.current([...new Set(toCreate.flatMap((r) => existing.get(r.referralId!) ?? []))]);
    ctx.tally.add('crmRead', found.size);
    // The records found are read from the store with the page's own.
    await ctx.records.add(ctx.store, [...existing.values()]);
    // Without an opportunity, a lead may carry the referral (a rebuilt store): linked to it, never created again.
    const withoutLead = new Set((await relinkLeads(ctx, outcome, writes, toCreate.filter((r) => !existing.has(r.referralId!) && mayBeLead(r)))).map((r) => r.referralId!));
    const intents: string[] = [];
    for (const referral of toCreate) {
      const crmId = existing.get(referral.referralId!);
      if (!crmId && mayBeLead(referral) && !withoutLead.has(referral.referralId!)) continue;
      if (crmId) {
        // A record carrying this referral's ID: our own create whose link was lost, or a seller's claim.
        const deal = found.get(crmId);
        const verdict = judgeBinding({
          crmId,
          referralId: referral.referralId!,
          crmNames: referral.referralId!,
          ...(referral.crmId ? { partnerCenterNames: referral.crmId } : {}),
          ...(ctx.records.getLinkByCrmId(crmId) ? { recordLinkedTo: ctx.records.getLinkByCrmId(crmId)!.referralId } : {}),
          createdByConnector: isOwnCrmCreate(ctx.records.getIntent('crm', referral.referralId!) !== undefined, deal?.referral, referral),
          referralClosed: isTerminal(referral),
          sameDeal: deal !== undefined && isSameDeal(deal.referral, referral),
          soleClaimant: carriers.get(referral.referralId!)!.length === 1,
        });
        if (!verdict.bind) {
          parkUnbound(ctx, outcome, referral, verdict.reason);
          continue;
        }
        if (deal) await linkAndSync(ctx, outcome, writes, deal, referral, readAhead);
        else {
          ctx.tally.add('linked');
          outcome.links.push(newLink(ctx, crmId, referral));
          outcome.apply.push((tx) => tx.deleteIntent('crm', referral.referralId!));
        }
        outcome.apply.push((tx) => tx.unpark('partner-center', referral.referralId!));
        continue;
      }
      if (namesDeletedRecord(ctx, referral)) {
        orphanOfDeletedRecord(ctx, outcome, referral);
        continue;
      }
      intents.push(referral.referralId!);
      // The CRM gets what fits it, and the record says what was shortened; the link keeps the full referral.
      const fitted = fitToCrm(referral, ctx.crm.textLimits);
      const message = shortenedNote(fitted.shortened, ctx.crm.displayName);
      const status = buildStatus({ state: 'synced', message, referral, referralLink: ctx.partnerCenter.referralLink(referral.referralId!), now: ctx.nowIso });
      creating.set(referral.referralId!, referral);
      writes.push({ kind: 'create', key: referral.referralId!, referral: fitted.referral, status, ...(ctx.options.leadsAsCrmLeads && isPartnerCenterLead(referral) ? { as: 'lead' as const } : {}) });
    }
    // The intent is stored before the create is sent: a crash after the call finds it and searches first.
    if (intents.length > 0) {
      await ctx.store.transaction((tx) => recordCrmCreateIntents(tx, intents, ctx.nowIso));
    }
  }

  const settle = async (results: Map<string, CrmWriteResult>) => {
    // A Partner Center change the CRM took: how long it waited is the serve's lag metric, whichever run
    // brought it (until 2026-12-06 only webhook-triggered syncs counted, not the backstop poll's).
    const told = ctx.options.onPartnerCenterChangeWritten;
    const changedAt = told ? new Map(page.referrals.map((r) => [r.referralId, r.updatedAt])) : undefined;
    for (const write of changedAt ? writes : []) {
      const updatedAt = write.kind === 'status' ? undefined : changedAt!.get(write.referral.referralId);
      if (updatedAt && results.get(write.key)?.ok) told!(updatedAt);
    }
    for (const write of writes) {
      if (write.kind !== 'create') continue;
      const result = results.get(write.key);
      if (!result?.ok) {
        // Refused: parked with the CRM's reason (the intent stays, so the retry looks the record up first).
        const request = crmRefusal(ctx, write, failureOf(write, result)!);
        const record = request ? parkFor(ctx, request) : undefined;
        if (record) outcome.apply.push((tx) => tx.park(record));
        continue;
      }
      const link: Link = { ...newLink(ctx, result.crmId, creating.get(write.key) ?? write.referral), lastStatus: write.status };
      if (result.modifiedAt) link.crmModifiedAt = result.modifiedAt;
      if (result.etag) link.crmEtag = result.etag;
      outcome.links.push(link);
      outcome.apply.push(async (tx) => {
        await tx.deleteIntent('crm', write.key);
        await tx.unpark('partner-center', write.key);
        if (write.as === 'lead') await tx.putLead({ leadId: result.crmId, referralId: write.key, createdAt: ctx.nowIso });
      });
    }
    await outcome.commit(ctx, results, 'partner-center', page.cursor);
  };
  return { writes, ids: [...partnerCenterPageIds(listed), ...outcome.recordIds()], settle };
}

/** A page (or referrals re-read for a retry) written and committed on its own. */
export async function processPartnerCenterPage(ctx: RunContext, page: PartnerCenterPage): Promise<void> {
  await settleNow(ctx, await planPartnerCenterPage(ctx, page));
}
