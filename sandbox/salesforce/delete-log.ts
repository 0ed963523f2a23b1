/**
 * The org's delete log as sObject Get Deleted reads it, and its purges.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_getdeleted.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_getdeleted_getdeletedresult.htm
 *
 * - The window rules (minutes, more than one minute, 15 days back) are replication-window.ts's.
 * - A background process purges the oldest delete-log entries when the log is over its limit, and an
 *   administrator can empty the Recycle Bin. `earliestDateAvailable` is "the timestamp of the last physically
 *   deleted object" of the type (the 15-day boundary when nothing later was purged): a client whose start
 *   precedes it has missed deletions and must resync. After the Recycle Bin was emptied, "an
 *   INVALID_REPLICATION_DATE error is returned" for a start before the purge (the message is UNVERIFIED; the
 *   sandbox uses the one of the 15-day rule).
 * - At most 600,000 IDs (EXCEEDED_ID_LIMIT).
 */
import { SfFault } from './errors.js';
import type { SalesforceStore } from './store.js';
import { checkIdLimit, MINUTE, replicationWindow } from './replication-window.js';
import { formatDatetime } from './wire.js';

const DELETED_RETENTION_DAYS = 15;

/** One purge of the delete log: of one type or (no type) of all, and whether it emptied the Recycle Bin. */
export interface DeleteLogPurge {
  type?: string;
  /** When the purge ran. */
  at: string;
  /** The deletion date of the last entry it removed (the "last physically deleted object"). */
  lastDeleted?: string;
  recycleBin: boolean;
}

export interface PurgeRequest {
  /** Only this object type (default: every type). */
  type?: string;
  /** Entries deleted at or before this time are removed (default: now). */
  through?: string;
  /** An administrator emptied the Recycle Bin (default false: the background purge of an oversized log). */
  recycleBin?: boolean;
}

/** Removes delete-log entries as a purge would; returns how many. */
export function purgeDeleteLog(store: SalesforceStore, request: PurgeRequest = {}): number {
  const through = Date.parse(request.through ?? store.now());
  if (Number.isNaN(through)) throw new SfFault(400, 'MALFORMED_QUERY', 'through must be a dateTime value');
  const type = request.type?.toLowerCase();
  const purged = store.deletedLog.filter((d) => (!type || d.type.toLowerCase() === type) && Date.parse(d.deletedDate) <= through);
  const kept = store.deletedLog.filter((d) => !purged.includes(d));
  store.deletedLog.length = 0;
  store.deletedLog.push(...kept);
  const lastDeleted = purged.map((d) => d.deletedDate).sort().at(-1);
  store.deletePurges.push({ ...(request.type ? { type: request.type } : {}), at: store.now(), ...(lastDeleted ? { lastDeleted } : {}), recycleBin: request.recycleBin === true });
  return purged.length;
}

export interface GetDeletedResult {
  deletedRecords: { id: string; deletedDate: string }[];
  earliestDateAvailable: string;
  latestDateCovered: string;
}

/** The answer to getDeleted for `type` over start..end at `nowMs`, or the SfFault Salesforce gives. */
export function getDeleted(store: SalesforceStore, type: string, startIso: string, endIso: string, nowMs: number): GetDeletedResult {
  const purges = store.deletePurges.filter((p) => !p.type || p.type.toLowerCase() === type.toLowerCase());
  const binEmptied = Math.max(-Infinity, ...purges.filter((p) => p.recycleBin).map((p) => Date.parse(p.at)));
  const { from, to, retained } = replicationWindow(startIso, endIso, nowMs, DELETED_RETENTION_DAYS, binEmptied);
  const earliest = Math.max(retained, ...purges.flatMap((p) => (p.lastDeleted ? [Date.parse(p.lastDeleted)] : [])));
  const deletedRecords = store.deletedLog
    .filter((d) => d.type.toLowerCase() === type.toLowerCase())
    .filter((d) => Date.parse(d.deletedDate) >= from && Date.parse(d.deletedDate) < to + MINUTE)
    .map((d) => ({ id: d.id, deletedDate: formatDatetime(d.deletedDate) }));
  checkIdLimit(deletedRecords.length);
  return { deletedRecords, earliestDateAvailable: formatDatetime(new Date(earliest).toISOString()), latestDateCovered: formatDatetime(new Date(to).toISOString()) };
}
