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
import { contentFingerprint } from './fingerprint.js';
import { mergeReferral } from './merge/three-way.js';
import { readUnit, unitFields, writeUnit } from './merge/units.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { referralWithIntent } from './seller-intent.js';
import { buildStatus, sameStatus } from './sync-status.js';

export interface PairResult {
  /** The link to store when the CRM write succeeds (or when there is none). */
  link: Link;
  /** The link to store when the CRM write fails: CRM-bound units stay unsynced. */
  linkIfCrmWriteFails: Link;
  crmWrite?: CrmWrite;
  park?: ParkedRecord;
  unpark?: boolean;
  conflict?: Omit<Conflict, 'id'>;
}

const HOUR_MS = 3_600_000;

function withUnits(target: Referral, source: Referral, units: readonly string[]): Referral {
  return units.reduce((acc, unit) => writeUnit(acc, unit, readUnit(source, unit)), target);
}

/** Partner Center's fresh referral with every synced unit taken from `merged`: the new base. */
function rebase(pcAfter: Referral, merged: Referral): Referral {
  return withUnits(pcAfter, merged, SYNC_FIELDS.map((f) => f.unit));
}

function parkRecord(ctx: RunContext, deal: CrmDeal, crmView: Referral, reasons: Violation[]): ParkedRecord {
  return { side: 'crm', recordId: deal.crmId, reasons, fingerprint: contentFingerprint(crmView), parkedAt: ctx.nowIso, attempts: 1 };
}

/** A Won on a registrable deal inside the gap is held: returns when it may go, or undefined. */
function holdUntil(ctx: RunContext, before: Referral, next: Referral): string | undefined {
  if (ctx.options.holdWonHours <= 0 || next.substatus !== 'Won' || before.substatus === 'Won') return undefined;
  if (!registrationEligibility(next).eligible || !next.createdAt) return undefined;
  const ends = Date.parse(next.createdAt) + ctx.options.holdWonHours * HOUR_MS;
  return ctx.now().getTime() < ends ? new Date(ends).toISOString() : undefined;
}

/**
 * `hold`: units an admin must settle beyond those of the link's open conflict (differences found when the
 * link was rebuilt under the manual policy); nothing moves on them while the sides differ.
 */
export async function syncPair(ctx: RunContext, link: Link, deal: CrmDeal, pcCurrent: Referral, attempt = 0, hold: readonly string[] = []): Promise<PairResult> {
  const crmView = { ...referralWithIntent(deal), crmId: deal.referral.crmId ?? deal.crmId };
  const open = ctx.store.openConflictFor(deal.crmId);
  const held = [...(open?.fields ?? []), ...hold];
  const m = mergeReferral({ base: link.base, crm: crmView, pc: pcCurrent, policy: ctx.options.policy, crmModifiedAt: deal.modifiedAt, pcUpdatedAt: pcCurrent.updatedAt, hold: held });
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
    pcUnits = [];
    message = `This deal is ${pcCurrent.substatus} in Partner Center, a final state: changes made in the CRM are no longer sent.`;
  }
  if (pcUnits.length > 0) {
    const parked = ctx.store.getParked('crm', deal.crmId);
    // Deal type is derived, not a unit: the sent referral carries the type its merged answers make.
    let nextPc = { ...withUnits(pcCurrent, merged, pcUnits), dealType: merged.dealType };
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
      if (!parked || parked.fingerprint !== contentFingerprint(crmView)) {
        park = parkRecord(ctx, deal, crmView, violations);
        ctx.tally.add('parked');
      }
    } else if (pcUnits.length > 0 && !ctx.options.dryRun) {
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
          ctx.tally.add('parked');
        } else {
          throw error;
        }
      }
    }
  } else if (ctx.store.getParked('crm', deal.crmId) && deal.problems.length === 0) {
    unpark = true;
  }
  if (state === 'synced' && heldUntil) {
    state = 'held';
    message = `Won is held until ${heldUntil}: Partner Center asks for 72 hours between creating a registrable deal and marking it won.`;
  }

  unsentToPc = [...new Set(unsentToPc)];
  const newBase = withUnits(rebase(pcAfter, merged), link.base, unsentToPc);
  merged = { ...merged, referralId: link.referralId, engagementId: pcAfter.engagementId ?? merged.engagementId };
  const changedFields = m.toCrm.flatMap(unitFields);
  const status = buildStatus({ state, message, referral: merged, referralLink: ctx.partnerCenter.referralLink(link.referralId), ...(heldUntil ? { heldUntil } : {}), now: ctx.nowIso });
  const statusChanged = !sameStatus(link.lastStatus, status);
  const wrote = changedFields.length > 0 || pcAfter !== pcCurrent;
  const crmWrite: CrmWrite | undefined =
    changedFields.length > 0 || statusChanged || wrote
      ? { kind: 'update', key: deal.crmId, crmId: deal.crmId, ...(deal.etag ? { etag: deal.etag } : {}), referral: merged, changedFields, status }
      : undefined;
  if (!crmWrite && m.toCrm.length === 0 && m.toPartnerCenter.length === 0) ctx.tally.add('echoes');

  ctx.logger.debug({ crmId: deal.crmId, referralId: link.referralId, toCrm: m.toCrm, toPc: m.toPartnerCenter, conflicts: m.conflicts, state, message, statusChanged, write: crmWrite !== undefined }, 'pair');
  const common = { ...link, state: linkState, pcEtag: pcAfter.eTag ?? link.pcEtag, pcUpdatedAt: pcAfter.updatedAt ?? link.pcUpdatedAt, crmModifiedAt: deal.modifiedAt, updatedAt: ctx.nowIso };
  const next: Link = { ...common, base: newBase, ...(crmWrite ? { lastStatus: status } : {}), ...(deal.etag ? { crmEtag: deal.etag } : {}) };
  if (heldUntil) next.heldUntil = heldUntil;
  else delete next.heldUntil;
  const onFailure: Link = { ...next, base: withUnits(newBase, link.base, m.toCrm), lastStatus: link.lastStatus };
  if (!onFailure.lastStatus) delete onFailure.lastStatus;
  return { link: next, linkIfCrmWriteFails: onFailure, ...(crmWrite ? { crmWrite } : {}), ...(park ? { park } : {}), ...(unpark ? { unpark } : {}), ...(conflict ? { conflict } : {}) };
}
