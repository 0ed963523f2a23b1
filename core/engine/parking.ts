/**
 * Parking: a record that cannot be created or updated on the other side (a refusal by Partner Center or
 * by the CRM, a rule, a mapping failure) is kept in the store with every reason, so that nothing is lost
 * silently. It is tried again when either side changes, and after a back-off (backoff.ts) when nothing
 * changes. Every record parked by a run is counted in the run's `parked` count.
 */
import { sameValue } from '../model/diff.js';
import type { Violation } from '../rules/violation.js';
import type { ParkedRecord, Side } from '../store/state-store.js';
import type { CrmWriteResult } from './crm-port.js';
import { retryAfter } from './backoff.js';
import type { RunContext } from './context.js';

export interface ParkRequest {
  side: Side;
  recordId: string;
  /** The deal's name, when known, for people reading `cosell status`. */
  name?: string;
  /** The deal's team members' email addresses, for the notice telling them to fix it. */
  team?: string[];
  reasons: Violation[];
  /** The record's content: a different one means it changed. */
  fingerprint: string;
  /** Tried again in this run's retries, not after the back-off: nothing needs to change for it to pass. */
  retryNow?: true;
}

/** Whether a parked record's retry time has come. */
export function isDue(record: ParkedRecord, nowIso: string): boolean {
  return record.retryAt !== undefined && Date.parse(record.retryAt) <= Date.parse(nowIso);
}

/**
 * The record to store for a refusal, or undefined when it is already parked for the same content and the
 * same reasons and its retry is not due (seeing it again in a change feed, for example the echo of the
 * status written onto it, is not a new attempt). A stored record counts one more attempt and waits longer.
 */
export function parkDecision(previous: ParkedRecord | undefined, request: ParkRequest, nowIso: string): ParkedRecord | undefined {
  if (previous && previous.fingerprint === request.fingerprint && sameValue(previous.reasons, request.reasons) && !isDue(previous, nowIso)) return undefined;
  const attempts = (previous?.attempts ?? 0) + 1;
  return {
    side: request.side,
    recordId: request.recordId,
    ...(request.name ? { name: request.name } : previous?.name ? { name: previous.name } : {}),
    ...(request.team?.length ? { team: request.team } : previous?.team ? { team: previous.team } : {}),
    reasons: request.reasons,
    fingerprint: request.fingerprint,
    parkedAt: previous?.parkedAt ?? nowIso,
    attempts,
    retryAt: request.retryNow ? nowIso : retryAfter(nowIso, attempts),
  };
}

/**
 * Decides a park against what the store holds and counts it in the run. The caller stores the record with
 * the page's transaction (or not at all on a dry run).
 */
export function parkFor(ctx: RunContext, request: ParkRequest): ParkedRecord | undefined {
  const record = parkDecision(ctx.records.getParked(request.side, request.recordId), request, ctx.nowIso);
  if (!record) return undefined;
  ctx.tally.add('parked');
  ctx.logger.info(
    { side: record.side, recordId: record.recordId, attempts: record.attempts, retryAt: record.retryAt, reasons: record.reasons.map((r) => `${r.field}: ${r.code}`) },
    'record parked: it is retried when either side changes, or at retryAt',
  );
  return record;
}

/**
 * A CRM park with the record's version as this run leaves it (`ParkedRecord.crmEtag`): the version it was
 * read at when nothing was written onto it, the one the write of its reason reports when that write was
 * the engine's own (no one else saved between the read and it: `CrmWriteResult.etag`), else none (the
 * record is read again, as before). `written`: the write's result, `null` for no write. Pure.
 */
export function withCrmVersion(record: ParkedRecord, readVersion: string | undefined, written: CrmWriteResult | undefined | null): ParkedRecord {
  const { crmEtag: _previous, ...rest } = record;
  const version = crmVersionLeft(readVersion, written);
  return version === undefined ? rest : { ...rest, crmEtag: version };
}

/**
 * The CRM record's version as this run leaves it, when the engine can call it its own: the one it was read
 * at when nothing was written onto it (`written` null), the one a write reports when no one else saved
 * between the read and it (`CrmWriteResult.etag`), else none. Pure.
 */
export function crmVersionLeft(readVersion: string | undefined, written: CrmWriteResult | undefined | null): string | undefined {
  return written === null ? readVersion : written?.ok ? written.etag : undefined;
}
