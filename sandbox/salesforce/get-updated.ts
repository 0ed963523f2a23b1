/**
 * sObject Get Updated: the IDs of the records of one type added or changed within a window.
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-getupdated.md
 * https://developer.salesforce.com/docs/platform/api-rest/guide/dome-get-updated.md
 *
 * "Results are returned for no more than 30 days previous to the day the call is executed", at most 600,000
 * IDs, and "the call uses the SystemModstamp field to determine an object's add or change date. If
 * SystemModstamp isn't available, the call uses LastModifiedDate." The window rules are replication-window.ts's.
 * UNVERIFIED: the message of the 30-day refusal (the sandbox uses Get Deleted's).
 */
import type { ObjectDef } from './schema.js';
import { checkIdLimit, MINUTE, replicationWindow } from './replication-window.js';
import type { SalesforceStore } from './store.js';
import { formatDatetime } from './wire.js';

const UPDATED_RETENTION_DAYS = 30;

export interface GetUpdatedResult {
  ids: string[];
  latestDateCovered: string;
}

/** The answer to getUpdated for `def` over start..end at `nowMs`, or the SfFault Salesforce gives. */
export function getUpdated(store: SalesforceStore, def: ObjectDef, startIso: string, endIso: string, nowMs: number): GetUpdatedResult {
  const { from, to } = replicationWindow(startIso, endIso, nowMs, UPDATED_RETENTION_DAYS);
  const stampField = def.fields.has('SystemModstamp') ? 'SystemModstamp' : 'LastModifiedDate';
  const ids = store
    .all(def.name)
    .filter((rec) => {
      const stamp = Date.parse(String(rec[stampField] ?? ''));
      return stamp >= from && stamp < to + MINUTE;
    })
    .map((rec) => String(rec.Id));
  checkIdLimit(ids.length);
  return { ids, latestDateCovered: formatDatetime(new Date(to).toISOString()) };
}
