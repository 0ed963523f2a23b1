/**
 * Recording a pair (the last of syncPair's three steps): what the seller sees on the record, the CRM write
 * for the page's batch, and the link to store, both for when that write succeeds and for when it fails.
 */
import type { CrmWrite, SyncStatus } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import { describeViolations } from '../rules/violation.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { pendingRefusal, sameRefusedContent } from './crm-refusals.js';
import { fitToCrm, shortenedNote } from './shorten.js';
import { readUnit, unitFields, withUnits, writeUnits } from './merge/units.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { buildStatus, sameStatus } from './sync-status.js';
import { recordShows } from './shown-status.js';
import { finalStateMessage } from './final-state.js';
import { describeReplacements, replacements } from './replaced-values.js';
import { sameValue } from '../model/diff.js';
import { consentNote, withConsentNote, withoutConsentNote } from './consent-note.js';
import { withOwnedFieldRefusal } from './owned-fields-note.js';
import { withInvitationNote } from './invitation-note.js';
import type { PairWork } from './pair-decide.js';
import type { PairResult } from './pair.js';
import { nextOrphanCheck } from './backoff.js';

const SYNC_UNITS = SYNC_FIELDS.map((f) => f.unit);

/** The deal's related rows as the engine read them (CrmWrite's `asRead`). */
const readRows = (r: Referral): NonNullable<Extract<CrmWrite, { kind: 'update' }>['asRead']> =>
  ({ team: r.team, solutions: r.solutions, ...(r.customerContact ? { customerContact: r.customerContact } : {}) });

/**
 * The new base, in one copy of Partner Center's fresh referral: every synced unit taken from `merged`, then
 * the units that did not reach Partner Center taken back from the old base (to be tried again), then the
 * contact Partner Center holds while consent is not given, and the invitation requests the record holds
 * (invitation-note.ts). Later entries win, so this is the chain of copies it replaces (a copy per step:
 * four or five whole referrals per pair, and as many more for the CRM-bound base).
 */
export function rebase(pcAfter: Referral, merged: Referral, oldBase: Referral, unsentToPc: readonly string[], requests: readonly string[] | undefined): Referral {
  const entries: (readonly [string, unknown])[] = [];
  for (const unit of SYNC_UNITS) entries.push([unit, readUnit(merged, unit)]);
  for (const unit of unsentToPc) entries.push([unit, readUnit(oldBase, unit)]);
  // While consent is not given the base holds the contact Partner Center holds, so that ticking the box
  // later sends the CRM's contact as a change.
  if (!merged.consentToShareContacts) entries.push(['customerContact', pcAfter.customerContact]);
  entries.push(requestsEntry(requests));
  return writeUnits(pcAfter, entries);
}

/** `base` with the units bound for the CRM as the old base held them, and its invitation requests: what stays when the CRM write fails. */
export function crmBoundBase(base: Referral, oldBase: Referral, toCrm: readonly string[]): Referral {
  const entries: (readonly [string, unknown])[] = toCrm.map((unit) => [unit, readUnit(oldBase, unit)] as const);
  entries.push(requestsEntry(oldBase.crmInvitationRequests));
  return writeUnits(base, entries);
}

/** The base's invitation requests as a unit to write (none: the key left out). */
const requestsEntry = (requests: readonly string[] | undefined) => ['crmInvitationRequests', requests === undefined ? undefined : [...requests]] as const;

/**
 * A replaced edit (a Partner Center edit to a CRM-owned field, or either side's under the policy) is
 * logged and shown on a synced record; the note stays while nothing else changes, so the seller sees it.
 */
function replacedNote(ctx: RunContext, work: PairWork, quiet: boolean, last: SyncStatus | undefined): string {
  const { link, deal, m } = work;
  const list = replacements(m.conflicts, work.crmView, work.pcCurrent, ctx.options.policy);
  for (const r of list) {
    ctx.logger.info({ crmId: deal.crmId, referralId: link.referralId, unit: r.unit, replacedSide: r.replaced, rule: r.rule }, 'an edit was replaced by the other side\'s value');
  }
  // A close Partner Center's final state replaced says that final state first, as a closed record always does.
  const outcome = list.some((r) => r.rule.includes('[terminal.locked]')) ? finalStateMessage(work.pcAfter) : '';
  if (list.length > 0) return [outcome, describeReplacements(list, ctx.crm.fieldLabels)].filter(Boolean).join(' ');
  return quiet && last?.state === 'synced' && /was replaced by/.test(last.message) ? last.message : '';
}

/**
 * The message the record shows, before the CRM's own limits and refusals are considered: the state's own
 * message, then a seller's edit this sync replaced or did not send, then what consent keeps back, so that a
 * message cut to the CRM's field keeps the most important first. Each note told stays while the pair is
 * quiet, compared without the consent note: until 2026-12-06 the consent note took the place of the others,
 * and an edit undone beside it went without a word.
 */
function pairMessage(ctx: RunContext, work: PairWork): string {
  const { link, m } = work;
  let { message } = work;
  if (work.state === 'synced' && work.heldUntil) {
    work.state = 'held';
    // What to do, too: nothing (until 2026-12-06 the record left the seller to wonder whether to mark it won again).
    message = `Won is held until ${work.heldUntil}: Partner Center asks for 72 hours between creating a registrable deal and marking it won. It is sent then, with nothing more to do.`;
  }
  const consent = work.state === 'synced' && !message ? consentNote(work.crmSeen, work.pcCurrent, work.pcAfter, link.lastStatus?.message) : '';
  const last = link.lastStatus && { ...link.lastStatus, message: withoutConsentNote(link.lastStatus.message) };
  // Quiet: nothing goes to either side (a unit held back, as on a closed deal, goes nowhere); a note told
  // earlier stays while the pair is quiet.
  const quiet = m.toCrm.length === 0 && m.toPartnerCenter.every((u) => work.unsentToPc.includes(u));
  if (work.state === 'synced' && !message) message = replacedNote(ctx, work, quiet, last);
  message = withOwnedFieldRefusal(message, link.base, work.crmHolds, work.pcCurrent, quiet, last, ctx.crm.fieldLabels);
  message = withInvitationNote(message, link.base, work.crmHolds, work.pcAfter, quiet, last, ctx.crm.fieldLabels);
  return withConsentNote(message, consent, ctx.crm.textLimits['sync.message']);
}

/** When the link is revisited: a Won's hold ends, or an orphaned link is checked (orphan-checks.ts). */
function revisitAt(ctx: RunContext, work: PairWork): { heldUntil?: string } {
  if (work.linkState === 'referral-missing') return { heldUntil: nextOrphanCheck(ctx.nowIso, ctx.nowIso) };
  return work.heldUntil ? { heldUntil: work.heldUntil } : {};
}

/**
 * Partner Center's referral as the record's status shows it. Its "Partner Center status" field is also the
 * CRM's own word on the status (both adapters read an open record's status from it): while an admin holds
 * the status, the record keeps the status it holds, or writing Partner Center's there would settle the
 * conflict for Partner Center by itself (a rebuilt link under the manual policy did, until 2026-12-06).
 */
function shownPartnerCenter(work: PairWork): Referral {
  return work.m.manual.includes('status') ? withUnits(work.pcAfter, work.crmHolds, ['status']) : work.pcAfter;
}

export function recordPair(ctx: RunContext, work: PairWork): PairResult {
  const { link, deal, m, pcAfter, pcCurrent, heldUntil } = work;
  let message = pairMessage(ctx, work);
  let state = work.state;
  const unsentToPc = [...new Set(work.unsentToPc)];
  // The base remembers the invitations the record asks for (invitation-note.ts), once the record shows the sync.
  const newBase = rebase(pcAfter, m.merged, link.base, unsentToPc, work.crmHolds.crmInvitationRequests);
  const merged = { ...m.merged, referralId: link.referralId, engagementId: pcAfter.engagementId ?? m.merged.engagementId };
  // A seller's answer the record does not show yet is written back only once Partner Center took it.
  const intentOnly = (unit: string) => !sameValue(readUnit(work.crmSeen, unit), readUnit(work.crmHolds, unit));
  // The CRM gets what fits it; the base keeps the full text (newBase above).
  const fitted = fitToCrm(merged, ctx.crm.textLimits);
  // A refused CRM write waits for its back-off unless this is other content (a new attempt); meanwhile the
  // record keeps showing the refusal.
  const refusal = pendingRefusal(ctx, link.referralId);
  const waiting = refusal && (m.toCrm.length === 0 || sameRefusedContent(refusal, fitted.referral)) ? refusal : undefined;
  if (waiting) {
    state = 'error';
    message = describeViolations(waiting.reasons, ctx.crm.fieldLabels);
  } else {
    message = [message, shortenedNote(fitted.shortened, ctx.crm.displayName)].filter(Boolean).join(' ');
  }
  const changedFields = waiting ? [] : m.toCrm.filter((u) => !(unsentToPc.includes(u) && intentOnly(u))).flatMap(unitFields);
  const status = buildStatus({ state, message, referral: merged, partnerCenter: shownPartnerCenter(work), referralLink: ctx.partnerCenter.referralLink(link.referralId), ...(heldUntil ? { heldUntil } : {}), now: ctx.nowIso });
  // Also when the record no longer shows the status last written: its status fields were edited (shown-status.ts).
  const statusChanged = !sameStatus(link.lastStatus, status) || !recordShows(ctx.crm, deal, link.lastStatus);
  const wrote = changedFields.length > 0 || pcAfter !== pcCurrent;
  const crmWrite: CrmWrite | undefined =
    changedFields.length > 0 || statusChanged || wrote
      ? { kind: 'update', key: deal.crmId, crmId: deal.crmId, ...(deal.etag ? { etag: deal.etag } : {}), referral: fitted.referral, changedFields, asRead: readRows(deal.referral), status }
      : undefined;
  if (!crmWrite && m.toCrm.length === 0 && m.toPartnerCenter.length === 0) ctx.tally.add('echoes');

  ctx.logger.debug({ crmId: deal.crmId, referralId: link.referralId, toCrm: m.toCrm, toPc: m.toPartnerCenter, conflicts: m.conflicts, state, message, statusChanged, write: crmWrite !== undefined }, 'pair');
  const common = { ...link, state: work.linkState, pcEtag: pcAfter.eTag ?? link.pcEtag, pcUpdatedAt: pcAfter.updatedAt ?? link.pcUpdatedAt, crmModifiedAt: deal.modifiedAt, updatedAt: ctx.nowIso };
  // Units bound for the CRM stay unsynced in the base when their write fails or waits, so they are sent again.
  // So does the record's own invitation requests: a note about a deleted one is told by the status that write carries.
  const crmBound = crmBoundBase(newBase, link.base, m.toCrm);
  const { heldUntil: _previousHold, ...rest } = common;
  const next: Link = { ...rest, base: waiting ? crmBound : newBase, ...(crmWrite ? { lastStatus: status } : {}), ...(deal.etag ? { crmEtag: deal.etag } : {}), ...revisitAt(ctx, work) };
  const { lastStatus: _shown, ...withoutStatus } = next;
  const onFailure: Link = { ...withoutStatus, base: crmBound, ...(link.lastStatus ? { lastStatus: link.lastStatus } : {}) };
  const { park, unpark, conflict, refreshConflict, closeConflict } = work;
  return {
    link: next, linkIfCrmWriteFails: onFailure, ...(crmWrite ? { crmWrite } : {}), ...(park ? { park } : {}), ...(unpark ? { unpark } : {}), ...(conflict ? { conflict } : {}),
    ...(refreshConflict ? { refreshConflict } : {}),
    ...(closeConflict ? { closeConflict: { ...closeConflict, at: ctx.nowIso } } : {}),
    ...(waiting ? { waitingForRetry: true } : {}),
  };
}
