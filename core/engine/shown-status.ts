/**
 * The connector's status fields on a record are its own word. The engine writes a status only when it
 * differs from the one it wrote last (sync-status.ts), so a seller or a CRM workflow that changed those
 * fields (a parked record set to "synced", the message cleared) left the record saying something false until
 * the deal next changed. Whenever a record is read, it is checked against the status last written, and the
 * status is written again when the record no longer shows it. Pure.
 */
import type { CrmAdapter, CrmDeal, CrmLead, SyncStatus } from './crm-port.js';
import { statusWriteOnRead, type CrmStatusWrite } from './crm-write-types.js';

/**
 * Whether the record, as read, shows `status` in the parts only the connector writes. A deal read without
 * those fields (a lead read as a deal) or an adapter that cannot tell is taken to show it.
 */
export function recordShows(crm: Pick<CrmAdapter, 'showsStatus'>, deal: CrmDeal, status: SyncStatus | undefined): boolean {
  if (!status || !deal.shownStatus || !crm.showsStatus) return true;
  return crm.showsStatus(deal, status);
}

/** Whether a lead, as read, shows `status` (a lead read without its status fields, or an adapter that cannot tell: yes). */
export function leadShows(crm: Pick<CrmAdapter, 'showsLeadStatus'>, lead: CrmLead, status: SyncStatus): boolean {
  if (!lead.shownStatus || !crm.showsLeadStatus) return true;
  return crm.showsLeadStatus(lead, status);
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

/** A raw status value that says something: not empty, not an unticked box (a CRM's default for one). */
const said = (value: unknown): boolean => value !== null && value !== undefined && value !== false && !(typeof value === 'string' && value.trim() === '');

/**
 * For a record the connector has no link for and that is not opted in: the write that empties its status
 * fields when it shows any. A seller's clone of a synced record (Salesforce's Clone, a copied Dynamics 365
 * opportunity) carries the original's "synced", last synced and Partner Center link; a record unticked
 * while parked keeps its refusal. Neither syncs, so the record must not say it does. Undefined when the
 * record shows nothing (as one never synced) or was read without its status fields.
 */
export function clearedStatusWrite(deal: CrmDeal): CrmStatusWrite | undefined {
  if (!Object.values(deal.shownStatus ?? {}).some(said)) return undefined;
  return statusWriteOnRead(deal, { state: 'pending', message: '' }, true);
}
