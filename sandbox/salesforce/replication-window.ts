/**
 * The time window that the data-replication resources (sObject Get Updated, sObject Get Deleted) accept.
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-getupdated.md
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 *
 * - Seconds of start and end are ignored; start must precede end by more than one minute, else
 *   INVALID_REPLICATION_DATE.
 * - Results go back no more than `retentionDays` before the day of the call (15 for Get Deleted, 30 for
 *   Get Updated): an earlier start is refused with INVALID_REPLICATION_DATE.
 * - `latestDateCovered` is never after end nor after now.
 */
import { SfFault } from './errors.js';

export const MINUTE = 60_000;
export const DAY = 86_400_000;

export interface ReplicationWindow {
  /** Start, truncated to the minute. */
  from: number;
  /** latestDateCovered: end or now, whichever is earlier, truncated to the minute. */
  to: number;
  /** The oldest start the retention allows. */
  retained: number;
}

const minute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/** The window of a replication call at `nowMs`, or the SfFault Salesforce answers; `refusedBefore` is a purge moment. */
export function replicationWindow(startIso: string, endIso: string, nowMs: number, retentionDays: number, refusedBefore = -Infinity): ReplicationWindow {
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new SfFault(400, 'MALFORMED_QUERY', 'start and end must be dateTime values');
  const from = minute(start);
  const until = minute(end);
  const retained = Math.floor(nowMs / DAY) * DAY - retentionDays * DAY;
  if (from < retained || from < refusedBefore) throw new SfFault(400, 'INVALID_REPLICATION_DATE', 'startDate before org replication enabled date');
  if (until - from <= MINUTE) throw new SfFault(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute');
  return { from, to: minute(Math.min(until, nowMs)), retained };
}

/** "If more than 600,000 IDs are found, EXCEEDED_ID_LIMIT is returned." */
export function checkIdLimit(count: number): void {
  if (count > 600_000) throw new SfFault(400, 'EXCEEDED_ID_LIMIT', 'More than 600,000 IDs: choose start and end dates closer together');
}
