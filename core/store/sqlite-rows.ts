/**
 * Row ↔ object mapping for the SQLite store. Column names are snake_case and match the named
 * parameters of the statements in `sqlite-statements.ts`, so a row object binds as it is.
 *
 * Absent optional fields are NULL columns and come back as missing keys (never `undefined` values), so a
 * stored object reads back deep-equal to what was put. JSON columns hold `JSON.stringify` of the value
 * exactly as given.
 */
import type { SyncStatus } from '../engine/crm-port.js';
import type { Referral } from '../model/referral.js';
import { linkVersionOf, type LinkVersion } from './async-state-store.js';
import type { Violation } from '../rules/violation.js';
import { ConnectorError } from '../errors.js';
import type { Conflict, CreateIntent, Link, LinkState, LockHolder, ParkedRecord, PipelineDeal, RunRecord, Side, StoredCursor } from './state-store.js';

export interface LinkRow {
  crm_id: string;
  referral_id: string;
  engagement_id: string | null;
  state: LinkState;
  base_json: string;
  pc_etag: string | null;
  crm_etag: string | null;
  crm_modified_at: string | null;
  pc_updated_at: string | null;
  last_status_json: string | null;
  held_until: string | null;
  updated_at: string;
}

/** The columns of a link that `loadVersions` reads. */
export type LinkVersionRow = Pick<LinkRow, 'crm_id' | 'referral_id' | 'state' | 'pc_etag' | 'crm_etag' | 'held_until'>;

export interface IntentRow {
  target: CreateIntent['target'];
  source_id: string;
  created_at: string;
  attempts: number;
}

export interface ParkedRow {
  side: Side;
  record_id: string;
  reasons_json: string;
  fingerprint: string;
  parked_at: string;
  attempts: number;
  retry_at: string | null;
  name: string | null;
  /** JSON array of email addresses, or NULL. */
  team_json: string | null;
  crm_etag: string | null;
}

export interface LockRow {
  owner: string;
  pid: number | null;
  host: string | null;
  acquired_ms: number;
  heartbeat_ms: number;
}

export interface ConflictRow {
  id: number;
  crm_id: string;
  referral_id: string;
  fields_json: string;
  base_json: string;
  crm_json: string;
  partner_center_json: string;
  detected_at: string;
  resolved_at: string | null;
  resolution: Conflict['resolution'] | null;
}

export interface CursorRow {
  cursor_json: string;
}

export interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  outcome: RunRecord['outcome'] | null;
  counts_json: string;
  message: string | null;
}

/**
 * `held_until` is compared as text by `dueHolds`, which is only correct when every value has the same
 * shape: `2026-01-05T09:00:00Z` and `2026-01-05T09:00:00.000Z` sort wrongly against each other.
 */
export function canonicalInstant(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ConnectorError('store.invalid_instant', `${what} is not an ISO 8601 instant: ${JSON.stringify(value)}`, false, { field: what });
  return new Date(ms).toISOString();
}

export function linkToRow(link: Link): LinkRow {
  return {
    crm_id: link.crmId,
    referral_id: link.referralId,
    engagement_id: link.engagementId ?? null,
    state: link.state,
    base_json: JSON.stringify(link.base),
    pc_etag: link.pcEtag ?? null,
    crm_etag: link.crmEtag ?? null,
    crm_modified_at: link.crmModifiedAt ?? null,
    pc_updated_at: link.pcUpdatedAt ?? null,
    last_status_json: link.lastStatus === undefined ? null : JSON.stringify(link.lastStatus),
    held_until: link.heldUntil === undefined ? null : canonicalInstant(link.heldUntil, 'heldUntil'),
    updated_at: link.updatedAt,
  };
}

/** The pipeline fields of a link's base, selected out of its JSON by the database (both SQLite and PostgreSQL). */
export interface PipelineDealRow {
  direction: string;
  status: string;
  substatus: string;
  sales_stage: string | null;
  value: number | null;
  currency: string | null;
}

export function rowToPipelineDeal(row: PipelineDealRow): PipelineDeal {
  return {
    direction: row.direction as PipelineDeal['direction'],
    status: row.status as PipelineDeal['status'],
    substatus: row.substatus as PipelineDeal['substatus'],
    ...(row.sales_stage !== null ? { salesStage: row.sales_stage as NonNullable<PipelineDeal['salesStage']> } : {}),
    ...(row.value !== null ? { value: Number(row.value) } : {}),
    ...(row.currency !== null ? { currency: row.currency } : {}),
  };
}

export function rowToLink(row: LinkRow): Link {
  // Field by field rather than through `withoutNulls`: every page load builds its links here, and the
  // entries/filter/fromEntries round trip cost more than parsing the base (issue 13).
  const link = { crmId: row.crm_id, referralId: row.referral_id } as Link;
  if (row.engagement_id !== null) link.engagementId = row.engagement_id;
  link.base = JSON.parse(row.base_json) as Referral;
  if (row.pc_etag !== null) link.pcEtag = row.pc_etag;
  if (row.crm_etag !== null) link.crmEtag = row.crm_etag;
  if (row.crm_modified_at !== null) link.crmModifiedAt = row.crm_modified_at;
  if (row.pc_updated_at !== null) link.pcUpdatedAt = row.pc_updated_at;
  link.state = row.state;
  if (row.last_status_json !== null) link.lastStatus = JSON.parse(row.last_status_json) as SyncStatus;
  if (row.held_until !== null) link.heldUntil = row.held_until;
  link.updatedAt = row.updated_at;
  return link;
}

export function rowToLinkVersion(row: LinkVersionRow): LinkVersion {
  return linkVersionOf({ crmId: row.crm_id, referralId: row.referral_id, state: row.state, pcEtag: row.pc_etag ?? undefined, crmEtag: row.crm_etag ?? undefined, heldUntil: row.held_until ?? undefined });
}

export function intentToRow(intent: CreateIntent): IntentRow {
  return { target: intent.target, source_id: intent.sourceId, created_at: intent.createdAt, attempts: intent.attempts };
}

export function rowToIntent(row: IntentRow): CreateIntent {
  return { target: row.target, sourceId: row.source_id, createdAt: row.created_at, attempts: row.attempts };
}

export function parkedToRow(record: ParkedRecord): ParkedRow {
  return {
    side: record.side,
    record_id: record.recordId,
    reasons_json: JSON.stringify(record.reasons),
    fingerprint: record.fingerprint,
    parked_at: record.parkedAt,
    attempts: record.attempts,
    retry_at: record.retryAt === undefined ? null : canonicalInstant(record.retryAt, 'retryAt'),
    name: record.name ?? null,
    team_json: record.team?.length ? JSON.stringify(record.team) : null,
    crm_etag: record.crmEtag ?? null,
  };
}

export function rowToParked(row: ParkedRow): ParkedRecord {
  return {
    side: row.side,
    recordId: row.record_id,
    ...(row.name === null ? {} : { name: row.name }),
    ...(row.team_json === null || row.team_json === undefined ? {} : { team: JSON.parse(row.team_json) as string[] }),
    reasons: JSON.parse(row.reasons_json) as Violation[],
    fingerprint: row.fingerprint,
    parkedAt: row.parked_at,
    attempts: row.attempts,
    ...(row.retry_at === null ? {} : { retryAt: row.retry_at }),
    ...(row.crm_etag === null || row.crm_etag === undefined ? {} : { crmEtag: row.crm_etag }),
  };
}

export function rowToLockHolder(row: LockRow): LockHolder {
  return {
    owner: row.owner,
    ...(row.pid === null ? {} : { pid: row.pid }),
    ...(row.host === null ? {} : { host: row.host }),
    acquiredMs: row.acquired_ms,
    heartbeatMs: row.heartbeat_ms,
  };
}

export function conflictToRow(conflict: Omit<Conflict, 'id'>): Omit<ConflictRow, 'id'> {
  return {
    crm_id: conflict.crmId,
    referral_id: conflict.referralId,
    fields_json: JSON.stringify(conflict.fields),
    base_json: JSON.stringify(conflict.base),
    crm_json: JSON.stringify(conflict.crm),
    partner_center_json: JSON.stringify(conflict.partnerCenter),
    detected_at: conflict.detectedAt,
    resolved_at: conflict.resolvedAt ?? null,
    resolution: conflict.resolution ?? null,
  };
}

export function rowToConflict(row: ConflictRow): Conflict {
  return withoutNulls({
    id: row.id,
    crmId: row.crm_id,
    referralId: row.referral_id,
    fields: JSON.parse(row.fields_json) as string[],
    base: JSON.parse(row.base_json) as Referral,
    crm: JSON.parse(row.crm_json) as Referral,
    partnerCenter: JSON.parse(row.partner_center_json) as Referral,
    detectedAt: row.detected_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
  });
}

export function rowToCursor(row: CursorRow): StoredCursor {
  return JSON.parse(row.cursor_json) as StoredCursor;
}

export function rowToRun(row: RunRow): RunRecord {
  return withoutNulls({
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    counts: JSON.parse(row.counts_json) as Record<string, number>,
    message: row.message,
  });
}

type NullToOptional<T> = { [K in keyof T as null extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as null extends T[K] ? K : never]?: Exclude<T[K], null>;
};

/** Drops NULL columns, so optional fields are missing keys as in the object that was stored. */
function withoutNulls<T extends object>(record: T): NullToOptional<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null)) as NullToOptional<T>;
}
