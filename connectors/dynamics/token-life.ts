/**
 * The life of Dataverse change-tracking delta tokens: how old a stored one may be (7 days, as the change
 * tracking page says), the error a refused one comes back with, and the tracking request a run starts with.
 * Shared by the opportunity feed (change-feed.ts), the child tables' feeds (child-changes.ts) and the run's
 * first `$batch` (feed-run.ts). Pure.
 */
import { ConnectorError } from '../../core/errors.js';
import type { CrmCursor } from '../../core/engine/crm-port.js';
import { DATAVERSE_CODES } from './errors.js';
import { TRACKING_QUERY } from './queries.js';
import type { DeltaCursor } from './change-feed.js';

export const CHANGE_TRACKING_DAYS = 7;
export const DAY_MS = 86_400_000;

export const isExpiredToken = (error: unknown) => error instanceof ConnectorError && error.context.serviceCode === DATAVERSE_CODES.expiredVersionStamp;

/** How old the cursor's delta tokens are, when they are past their life (by the adapter's clock); else undefined. */
export function expiredAgeMs(cursor: CrmCursor | undefined, nowMs: number): number | undefined {
  if (cursor?.mode !== 'delta') return undefined;
  const ageMs = nowMs - Date.parse((cursor as unknown as DeltaCursor).issuedAt);
  return ageMs > CHANGE_TRACKING_DAYS * DAY_MS ? ageMs : undefined;
}

/**
 * The opportunity tracking request this run starts with, for the caller to send in the run's first
 * `$batch`: the stored delta link, or a fresh start; none during a watermark fallback or past the token's life.
 */
export function firstTrackingUrl(cursor: CrmCursor | undefined, nowMs: number): string | undefined {
  // A first run, or a run after one stopped before its listing's delta link (first-read.ts).
  if (!cursor || cursor.mode === 'listing') return TRACKING_QUERY;
  if (cursor.mode !== 'delta' || expiredAgeMs(cursor, nowMs) !== undefined) return undefined;
  return (cursor as unknown as DeltaCursor).link;
}

