/**
 * Syncing one linked pair: the CRM record as it is now, Partner Center's referral as it is now, and the
 * link's base. Merges, checks Partner Center's rules before sending anything, holds an early Won, writes
 * Partner Center at once (its API has no batch) and returns the CRM write for the page's batch.
 *
 * Outcomes a seller sees on the record: synced; error (parked, with every reason); conflict (manual
 * policy); held (Won waits for the 72-hour gap); orphaned (the referral is gone from Partner Center).
 */
import type { CrmDeal, CrmWrite, SyncState } from '../../connectors/types.js';
import { ConflictError, NotFoundError, RemoteValidationError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import { registrationEligibility } from '../rules/registration.js';
import { blocking, describeViolations, type Violation } from '../rules/violation.js';
import { checkChange, isTerminal } from '../rules/index.js';
import type { Conflict, Link, ParkedRecord } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { pendingRefusal, sameRefusedContent } from './crm-refusals.js';
import { contentFingerprint } from './fingerprint.js';
import { mergeReferral } from './merge/three-way.js';
import { parkFor } from './parking.js';
import { fitToCrm, restoreShortened, shortenedNote } from './shorten.js';
import { readUnit, unitFields, withUnits, writeUnit } from './merge/units.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { referralWithIntent } from './seller-intent.js';
import { buildStatus, sameStatus } from './sync-status.js';
import { finalStateMessage } from './final-state.js';
import { describeReplacements, replacements } from './replaced-values.js';
import { sameValue } from '../model/diff.js';
import { shareableReferral } from '../model/consent.js';
import { consentNote } from './consent-note.js';
import { withLocationRefusal } from './location-note.js';

export interface PairResult {
  /** The link to store when the CRM write succeeds (or when there is none). */
  link: Link;
  /** The link to store when the CRM write fails: CRM-bound units stay unsynced. */
  linkIfCrmWriteFails: Link;
  crmWrite?: CrmWrite;
  park?: ParkedRecord;
  unpark?: boolean;
  conflict?: Omit<Conflict, 'id'>;
  /** The CRM write was refused before for this content and waits for its retry: the park stays. */
  waitingForRetry?: boolean;
}

const HOUR_MS = 3_600_000;

/** Partner Center's fresh referral with every synced unit taken from `merged`: the new base. */
function rebase(pcAfter: Referral, merged: Referral): Referral {
  return withUnits(pcAfter, merged, SYNC_FIELDS.map((f) => f.unit));
}

/** Parks the CRM record (counted in the run), or undefined when it is parked already and not due. */
function parkRecord(ctx: RunContext, deal: CrmDeal, crmView: Referral, reasons: Violation[]): ParkedRecord | undefined {
  return parkFor(ctx, { side: 'crm', recordId: deal.crmId, ...(crmView.dealName ? { name: crmView.dealName } : {}), reasons, fingerprint: contentFingerprint(crmView) });
}

/** A Won on a registrable deal inside the gap is held: returns when it may go, or undefined. */
function holdUntil(ctx: RunContext, before: Referral, next: Referral): string | undefined {
  if (ctx.options.holdWonHours <= 0 || next.substatus !== 'Won' || before.substatus === 'Won') return undefined;
  if (!registrationEligibility(next).eligible || !next.createdAt) return undefined;
  const ends = Date.parse(next.createdAt) + ctx.options.holdWonHours * HOUR_MS;
  return ctx.now().getTime() < ends ? new Date(ends).toISOString() : undefined;
}

/**
 * A replaced edit (a Partner Center edit to a CRM-owned field, or either side's under the policy) is
 * logged and shown on a synced record; the note stays while nothing else changes, so the seller sees it.
 */
function replacedNote(ctx: RunContext, link: Link, deal: CrmDeal, m: ReturnType<typeof mergeReferral>, crmView: Referral, pcCurrent: Referral): string {
  const list = replacements(m.conflicts, crmView, pcCurrent, ctx.options.policy);
  for (const r of list) {
    ctx.logger.info({ crmId: deal.crmId, referralId: link.referralId, unit: r.unit, replacedSide: r.replaced, rule: r.rule }, 'an edit was replaced by the other side\'s value');
  }
  if (list.length > 0) return describeReplacements(list);
  const quiet = m.toCrm.length === 0 && m.toPartnerCenter.length === 0;
  return quiet && link.lastStatus?.state === 'synced' && /was replaced by/.test(link.lastStatus.message) ? link.lastStatus.message : '';
}

/**
 * `hold`: units an admin must settle beyond those of the link's open conflict (differences found when the
 * link was rebuilt under the manual policy); nothing moves on them while the sides differ.
 */
export async function syncPair(ctx: RunContext, link: Link, deal: CrmDeal, pcCurrent: Referral, attempt = 0, hold: readonly string[] = []): Promise<PairResult> {
  // A text the CRM holds shortened (shorten.ts) is the base's full text, not an edit to send back.
  const crmSeen = restoreShortened({ ...referralWithIntent(deal), crmId: deal.referral.crmId ?? deal.crmId }, link.base);
  // Without consent the CRM has no opinion on the customer contact: it never leaves the CRM (issue 14).
  const crmView = shareableReferral(crmSeen);
  // What the record itself holds, without the seller's pending answer (shortened text restored the same way).
  const crmHolds = restoreShortened({ ...deal.referral, crmId: crmView.crmId }, link.base);
  const open = ctx.store.openConflictFor(deal.crmId);
  const held = [...(open?.fields ?? []), ...hold];
  const m = mergeReferral({ base: link.base, crm: crmView, crmHolds, pc: pcCurrent, policy: ctx.options.policy, crmModifiedAt: deal.modifiedAt, pcUpdatedAt: pcCurrent.updatedAt, hold: held });
  let merged = m.merged;
  let pcAfter = pcCurrent;
  let state: SyncState = 'synced';
  let message = '';
  let heldUntil: string | undefined;
  let park: ParkedRecord | undefined;
  let unpark = false;
  let conflict: Omit<Conflict, 'id'> | undefined;
  let linkState = link.state;
  // Units whose change could not reach Partner Center stay as they were in the base, so they are tried again.
  let unsentToPc: string[] = [];

  if (m.manual.length > 0) {
    state = 'conflict';
    message = `Changed in both the CRM and Partner Center: ${m.manual.join(', ')}. An admin settles it with "cosell conflicts resolve".`;
    if (!open) {
      conflict = { crmId: deal.crmId, referralId: link.referralId, fields: m.manual, base: link.base, crm: crmView, partnerCenter: pcCurrent, detectedAt: ctx.nowIso };
      ctx.tally.add('conflicts');
    }
  }

  let pcUnits = m.toPartnerCenter;
  if (pcUnits.length > 0 && isTerminal(pcCurrent)) {
    // Terminal states win: Partner Center accepts nothing more for this deal, so nothing is sent and the
    // CRM's differences stay unsynced (they are not errors a seller could fix).
    unsentToPc.push(...pcUnits);
    const edited = pcUnits.filter((u) => !SYNC_FIELDS.find((f) => f.unit === u)?.setByConnector);
    pcUnits = [];
    if (edited.length > 0) message = `${finalStateMessage(pcCurrent)} Changes made in the CRM since are not sent (${edited.join(', ')}): Partner Center takes none after a final state.`;
  }
  if (pcUnits.length > 0) {
    const parked = ctx.store.getParked('crm', deal.crmId);
    // Deal type is derived, not a unit: the sent referral carries the type its merged answers make.
    // Without consent the referral carries no customer contact: one Partner Center holds is removed
    // (JSON Patch `replace /customerProfile/team []`, since there is no `remove`; whether the live API
    // takes it is UNVERIFIED, partner-center-api.md §5 item 6 — a refusal parks the record with its reason).
    let nextPc = shareableReferral({ ...withUnits(pcCurrent, merged, pcUnits), dealType: merged.dealType });
    const held = holdUntil(ctx, pcCurrent, nextPc);
    if (held) {
      heldUntil = held;
      // The Won stage is the Won status (rule sales_stage.won_requires_won_status): both wait.
      const waiting = nextPc.salesStage === 'Won' ? ['status', 'salesStage'] : ['status'];
      nextPc = withUnits(nextPc, pcCurrent, waiting);
      unsentToPc.push(...waiting);
      pcUnits = pcUnits.filter((u) => !waiting.includes(u));
      ctx.tally.add('held');
    }
    const problems = deal.problems.map((p) => ({ code: p.code, field: p.field, message: p.message, severity: 'error' as const }));
    const violations = problems.length > 0 ? problems : blocking(checkChange(pcCurrent, nextPc, { actor: 'us', now: ctx.now() }));
    if (violations.length > 0) {
      unsentToPc.push(...pcUnits);
      state = 'error';
      message = describeViolations(violations);
      park = parkRecord(ctx, deal, crmView, violations);
    } else if (pcUnits.length > 0 && ctx.options.dryRun) {
      ctx.tally.add('pcUpdated');
      ctx.plan?.push({ side: 'partner-center', kind: 'update', crmId: deal.crmId, referralId: link.referralId, dealName: nextPc.dealName, fields: pcUnits });
    } else if (pcUnits.length > 0) {
      try {
        pcAfter = await ctx.partnerCenter.update(pcCurrent, nextPc);
        ctx.tally.add('pcUpdated');
        unpark = parked !== undefined;
      } catch (error) {
        if (error instanceof ConflictError && attempt === 0) {
          // Partner Center changed since we read it: read again and merge again, once.
          return syncPair(ctx, link, deal, await ctx.partnerCenter.get(link.referralId), attempt + 1, hold);
        }
        if (error instanceof NotFoundError) {
          linkState = 'referral-missing';
          state = 'orphaned';
          message = 'This deal is no longer visible in Partner Center (deleted, or access was removed). Changes are not sent.';
          unsentToPc.push(...pcUnits);
          ctx.tally.add('orphaned');
        } else if (error instanceof RemoteValidationError) {
          const reasons: Violation[] = [{ code: 'remote.refused', field: error.context.field ?? error.context.target ?? 'referral', message: error.message, severity: 'error' }];
          unsentToPc.push(...pcUnits);
          state = 'error';
          message = describeViolations(reasons);
          park = parkRecord(ctx, deal, crmView, reasons);
        } else {
          throw error;
        }
      }
    }
  } else if (deal.problems.length > 0 && !isTerminal(pcCurrent)) {
    // Nothing changed that could be sent, yet the record holds something that cannot be mapped (a
    // stage-only move to an unmapped stage reads as no stage at all): the seller must still see why.
    const violations = deal.problems.map((p) => ({ code: p.code, field: p.field, message: p.message, severity: 'error' as const }));
    state = 'error';
    message = describeViolations(violations);
    const parked = ctx.store.getParked('crm', deal.crmId);
    if (!parked || parked.fingerprint !== contentFingerprint(crmView)) {
      park = parkRecord(ctx, deal, crmView, violations);
      ctx.tally.add('parked');
    }
  } else if (ctx.store.getParked('crm', deal.crmId) && deal.problems.length === 0) {
    unpark = true;
  }
  if (state === 'synced' && heldUntil) {
    state = 'held';
    message = `Won is held until ${heldUntil}: Partner Center asks for 72 hours between creating a registrable deal and marking it won.`;
  }
  if (state === 'synced' && !message) message = consentNote(crmSeen, pcCurrent, pcAfter, link.lastStatus?.message);
  if (state === 'synced' && !message) message = replacedNote(ctx, link, deal, m, crmView, pcCurrent);
  message = withLocationRefusal(message, crmHolds, pcCurrent, m.toPartnerCenter.length === 0 && m.toCrm.length === 0, link.lastStatus);

  unsentToPc = [...new Set(unsentToPc)];
  let newBase = withUnits(rebase(pcAfter, merged), link.base, unsentToPc);
  // While consent is not given the base holds the contact Partner Center holds, so that ticking the box
  // later sends the CRM's contact as a change.
  if (!merged.consentToShareContacts) newBase = writeUnit(newBase, 'customerContact', pcAfter.customerContact);
  merged = { ...merged, referralId: link.referralId, engagementId: pcAfter.engagementId ?? merged.engagementId };
  // A seller's answer the record does not show yet is written back only once Partner Center took it.
  const intentOnly = (unit: string) => !sameValue(readUnit(crmSeen, unit), readUnit(crmHolds, unit));
  // The CRM gets what fits it; the base keeps the full text (newBase above).
  const fitted = fitToCrm(merged, ctx.crm.textLimits);
  // A refused CRM write waits for its back-off unless this is other content (a new attempt); meanwhile the
  // record keeps showing the refusal.
  const refusal = pendingRefusal(ctx, link.referralId);
  const waiting = refusal && (m.toCrm.length === 0 || sameRefusedContent(refusal, fitted.referral)) ? refusal : undefined;
  if (waiting) {
    state = 'error';
    message = describeViolations(waiting.reasons);
  } else {
    message = [message, shortenedNote(fitted.shortened, ctx.crm.displayName)].filter(Boolean).join(' ');
  }
  const changedFields = waiting ? [] : m.toCrm.filter((u) => !(unsentToPc.includes(u) && intentOnly(u))).flatMap(unitFields);
  const status = buildStatus({ state, message, referral: merged, partnerCenter: pcAfter, referralLink: ctx.partnerCenter.referralLink(link.referralId), ...(heldUntil ? { heldUntil } : {}), now: ctx.nowIso });
  const statusChanged = !sameStatus(link.lastStatus, status);
  const wrote = changedFields.length > 0 || pcAfter !== pcCurrent;
  const crmWrite: CrmWrite | undefined =
    changedFields.length > 0 || statusChanged || wrote
      ? { kind: 'update', key: deal.crmId, crmId: deal.crmId, ...(deal.etag ? { etag: deal.etag } : {}), referral: fitted.referral, changedFields, status }
      : undefined;
  if (!crmWrite && m.toCrm.length === 0 && m.toPartnerCenter.length === 0) ctx.tally.add('echoes');

  ctx.logger.debug({ crmId: deal.crmId, referralId: link.referralId, toCrm: m.toCrm, toPc: m.toPartnerCenter, conflicts: m.conflicts, state, message, statusChanged, write: crmWrite !== undefined }, 'pair');
  const common = { ...link, state: linkState, pcEtag: pcAfter.eTag ?? link.pcEtag, pcUpdatedAt: pcAfter.updatedAt ?? link.pcUpdatedAt, crmModifiedAt: deal.modifiedAt, updatedAt: ctx.nowIso };
  // Units bound for the CRM stay unsynced in the base when their write fails or waits, so they are sent again.
  const crmBound = withUnits(newBase, link.base, m.toCrm);
  const next: Link = { ...common, base: waiting ? crmBound : newBase, ...(crmWrite ? { lastStatus: status } : {}), ...(deal.etag ? { crmEtag: deal.etag } : {}) };
  if (heldUntil) next.heldUntil = heldUntil;
  else delete next.heldUntil;
  const onFailure: Link = { ...next, base: crmBound, lastStatus: link.lastStatus };
  if (!onFailure.lastStatus) delete onFailure.lastStatus;
  return {
    link: next, linkIfCrmWriteFails: onFailure, ...(crmWrite ? { crmWrite } : {}), ...(park ? { park } : {}), ...(unpark ? { unpark } : {}), ...(conflict ? { conflict } : {}),
    ...(waiting ? { waitingForRetry: true } : {}),
  };
}
