/**
 * What a dry run would write, record by record, collected where the engine decides each write (instead
 * of sending it), so that `sync --dry-run` previews exactly the writes a real run makes from the same
 * state.
 */
import type { CrmWrite } from './crm-port.js';

export interface PlannedChange {
  /** The side that would be written. */
  side: 'partner-center' | 'crm';
  kind: 'create' | 'update' | 'status';
  crmId?: string;
  referralId?: string;
  dealName?: string;
  /** Canonical fields (or merge units) that would change. */
  fields?: string[];
  /** For a status write-back: the sync state the record would show. */
  state?: string;
}

export function plannedCrmWrite(w: CrmWrite): PlannedChange {
  if (w.kind === 'create') return { side: 'crm', kind: 'create', ...(w.referral.referralId ? { referralId: w.referral.referralId } : {}), dealName: w.referral.dealName };
  if (w.kind === 'update' && w.changedFields.length > 0) {
    return { side: 'crm', kind: 'update', crmId: w.crmId, ...(w.referral.referralId ? { referralId: w.referral.referralId } : {}), dealName: w.referral.dealName, fields: w.changedFields };
  }
  return { side: 'crm', kind: 'status', crmId: w.crmId, ...(w.status ? { state: w.status.state } : {}) };
}
