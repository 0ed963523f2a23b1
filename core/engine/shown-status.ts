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

/**
 * For a status the engine keeps no record of (a parked record without a link: its refusal): the record still
 * says *error* with a message. Its time is not compared, nor the message's words, which an org's save-time
 * automation may have rewritten with nowhere to keep that form (a link keeps it: `SyncStatus.savedAs`);
 * a state set to something else, or a message emptied, is still written over.
 */
export function recordShowsRefusal(crm: Pick<CrmAdapter, 'showsStatus'>, deal: CrmDeal, status: SyncStatus): boolean {
  if (!deal.shownStatus || !crm.showsStatus) return true;
  const { lastSyncedAt: _time, ...untimed } = status;
  return crm.showsStatus(deal, untimed, true);
}
