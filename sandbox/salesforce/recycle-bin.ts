/**
 * The Recycle Bin as `queryAll` reads it: "QueryAll will include deleted records in results" (sObject Get
 * Deleted, REST API guide; wire-protocols.md §3.10), each with `IsDeleted` true. A deleted row's
 * SystemModstamp is its deletion's time: getDeleted's `deletedDate` "is obtained using the SystemModstamp
 * system field if available" (GetDeletedResult). Opportunity team members skip the Recycle Bin
 * (connectors/salesforce/README.md): `queryAll` never finds one once deleted.
 *
 * The bin's rows live in the delete log's entries (store.ts), so a purge of the log or an emptied Recycle
 * Bin (delete-log.ts) removes them from `queryAll` too, and a rolled-back transaction puts them back.
 */
import type { Rec, SalesforceStore } from './store.js';

/** Types whose deleted rows are not kept in the Recycle Bin. */
const SKIPS_RECYCLE_BIN = new Set(['opportunityteammember']);

/** What a delete-log entry keeps of a row deleted at `deletedDate`: the row itself, unless its type skips the bin. */
export function binned(type: string, record: Rec, deletedDate: string): { record?: Rec } {
  if (SKIPS_RECYCLE_BIN.has(type.toLowerCase())) return {};
  return { record: { ...record, IsDeleted: true, SystemModstamp: deletedDate } };
}

/** The deleted rows of `type` still in the Recycle Bin. */
export function binnedRows(store: SalesforceStore, type: string): Rec[] {
  const key = type.toLowerCase();
  return store.deletedLog.flatMap((d) => (d.record && d.type.toLowerCase() === key ? [d.record] : []));
}
