/**
 * The connector's status fields on a record are its own word. The engine writes a status only when it
 * differs from the one it wrote last (sync-status.ts), so a seller or a CRM workflow that changed those
 * fields (a parked record set to "synced", the message cleared) left the record saying something false until
 * the deal next changed. Whenever a record is read, it is checked against the status last written, and the
 * status is written again when the record no longer shows it. Pure.
 */
import type { CrmAdapter, CrmDeal, SyncStatus } from './crm-port.js';

/**
 * Whether the record, as read, shows `status` in the parts only the connector writes. A deal read without
 * those fields (a lead read as a deal) or an adapter that cannot tell is taken to show it.
 */
export function recordShows(crm: Pick<CrmAdapter, 'showsStatus'>, deal: CrmDeal, status: SyncStatus | undefined): boolean {
  if (!status || !deal.shownStatus || !crm.showsStatus) return true;
  return crm.showsStatus(deal, status);
}

/** `status` without its time, for a status the engine did not keep (a parked record's refusal): the time is not compared. */
export function untimed(status: SyncStatus): SyncStatus {
  const { lastSyncedAt: _time, ...rest } = status;
  return rest;
}
