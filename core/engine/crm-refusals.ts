/**
 * A CRM write that failed for a reason the record itself carries (a validation rule, a field too long, a
 * plug-in's refusal, a transient lock) parks the referral whose data could not be written: side
 * `partner-center`, the referral ID, the field, the CRM's own code and its message. Two failures of an
 * update are not refusals: a stale row version (`conflict`: retried in the same run, see `staleWrite`) and
 * a deleted record (`not_found`: the CRM's feed brings the deletion, which orphans the link). A failed
 * create is always parked.
 */
import type { CrmWrite, CrmWriteResult, SyncStatus } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import { describeViolations } from '../rules/violation.js';
import type { ParkedRecord } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { contentFingerprint, fingerprint } from './fingerprint.js';
import { isDue, type ParkRequest } from './parking.js';

type Failure = Extract<CrmWriteResult, { ok: false }>;

const FED_BACK: ReadonlySet<Failure['code']> = new Set(['conflict', 'not_found']);

/** The referral a CRM write carries data of, if it is linked to one. */
function referralIdOf(write: CrmWrite): string | undefined {
  if (write.kind === 'status') return write.status.referralId;
  return write.referral.referralId ?? (write.kind === 'create' ? write.key : undefined);
}

/** Where the CRM named no field (a plug-in's refusal): the fields the write changed, or the whole record. */
function fieldsOf(write: CrmWrite): string {
  return write.kind === 'update' && write.changedFields.length > 0 ? write.changedFields.join(', ') : write.kind === 'status' ? 'status' : 'referral';
}

/** A missing result (the adapter answered for fewer writes than it was given) is a failure too. */
export function failureOf(write: CrmWrite, result: CrmWriteResult | undefined): Failure | undefined {
  if (result?.ok) return undefined;
  return result ?? { key: write.key, ok: false, code: 'failed', message: `The CRM gave no result for write ${write.key}` };
}

/** The park for a failed CRM write, or undefined when the failure is not parked (see above). */
export function crmRefusal(ctx: RunContext, write: CrmWrite, failure: Failure): ParkRequest | undefined {
  // A failed create has no record for a change feed to bring back: whatever the failure, it is parked.
  if (write.kind !== 'create' && FED_BACK.has(failure.code)) return undefined;
  const referralId = referralIdOf(write);
  // A status write for a CRM record with no referral belongs to a record already parked on the CRM side.
  if (!referralId) return undefined;
  const rule = failure.rule ?? failure.code;
  const { lastSyncedAt: _at, ...status } = write.status ?? { state: 'synced', message: '' };
  return {
    side: 'partner-center',
    recordId: referralId,
    ...(write.kind !== 'status' && write.referral.dealName ? { name: write.referral.dealName } : {}),
    reasons: [{ code: `crm.${rule}`, field: failure.field ?? fieldsOf(write), message: `${ctx.crm.displayName} refused it: ${failure.message}`, severity: 'error' }],
    fingerprint: write.kind === 'status' ? fingerprint(status) : contentFingerprint(write.referral),
  };
}

/** Whether a parked record is a CRM refusal (as opposed to a referral that could not be read at all). */
export const isCrmRefusal = (reasons: readonly { code: string }[]): boolean => reasons.length > 0 && reasons.every((r) => r.code.startsWith('crm.'));

/**
 * The status written onto a CRM record whose update was refused (a second, status-only write: the refused
 * write carried the status too). Built from the park's reasons, so that the next sync computes the same
 * status while the write waits (see {@link refusedBefore}) and writes nothing.
 */
export function refusedStatus(ctx: RunContext, write: CrmWrite, failure: Failure): SyncStatus | undefined {
  const request = crmRefusal(ctx, write, failure);
  return request && write.status ? { ...write.status, state: 'error', message: describeViolations(request.reasons, ctx.crm.fieldLabels) } : undefined;
}

/**
 * The CRM refusal parked for this referral, while its back-off runs. Until then the record keeps showing
 * the refusal, and the same write (same content) is not sent again, so that the echo of the error written
 * onto the record does not loop. A write with other content (either side changed) is a new attempt; the
 * end of the back-off is another.
 */
export function pendingRefusal(ctx: RunContext, referralId: string): ParkedRecord | undefined {
  const parked = ctx.records.getParked('partner-center', referralId);
  return isWaitingRefusal(parked, ctx.nowIso) ? parked : undefined;
}

/** Whether a referral's park is a CRM refusal whose back-off still runs (see {@link pendingRefusal}). Pure. */
export function isWaitingRefusal(parked: ParkedRecord | undefined, nowIso: string): parked is ParkedRecord {
  return parked !== undefined && isCrmRefusal(parked.reasons) && !isDue(parked, nowIso);
}

/** Whether a write of `referral` is the very write that was refused. */
export const sameRefusedContent = (parked: ParkedRecord, referral: Referral): boolean => parked.fingerprint === contentFingerprint(referral);

/**
 * An update that carried Partner Center's changes and met a newer version of the record (a seller saved it
 * between our read and our write) is merged again in this run's retries, from both sides read fresh.
 * Waiting for the CRM's feed to bring the record back is not enough: the CRM phase merges a linked record
 * against the link's base as Partner Center's side, and the base keeps the old values of the units that
 * were not written, so Partner Center's change would never reach the record while it showed "synced".
 */
export function staleWrite(ctx: RunContext, write: CrmWrite, failure: Failure): ParkRequest | undefined {
  if (write.kind !== 'update' || failure.code !== 'conflict' || write.changedFields.length === 0) return undefined;
  const referralId = referralIdOf(write);
  if (!referralId) return undefined;
  return {
    side: 'partner-center',
    recordId: referralId,
    ...(write.referral.dealName ? { name: write.referral.dealName } : {}),
    reasons: [{ code: 'sync.record_changed_while_writing', field: write.changedFields.join(', '), message: `The record changed in ${ctx.crm.displayName} while Partner Center's changes were written to it; both sides are read again and merged.`, severity: 'warning' }],
    fingerprint: contentFingerprint(write.referral),
    retryNow: true,
  };
}
