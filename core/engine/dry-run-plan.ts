/**
 * What a dry run would write, record by record, collected where the engine decides each write (instead
 * of sending it), so that `sync --dry-run` previews exactly the writes a real run makes from the same
 * state.
 */
import type { Referral } from '../model/referral.js';
import type { CrmWrite } from './crm-port.js';
import { readUnit } from './merge/units.js';

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
  /** For an update: the value each of `fields` would get (absent: cleared). */
  values?: Record<string, unknown>;
  /** For a status write-back: the message the record would show, when there is one. */
  message?: string;
}

/** The values `fields` have on `referral`, by field. */
export function valuesOf(referral: Referral, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, readUnit(referral, field)]));
}

/** The sync state (and message) a write leaves on the record. */
function statusOf(w: Exclude<CrmWrite, { kind: 'create' }>): Pick<PlannedChange, 'state' | 'message'> {
  if (w.kind === 'status' && w.cleared) return { message: 'status fields emptied: the record is not synced' };
  return { ...(w.status ? { state: w.status.state } : {}), ...(w.status?.message ? { message: w.status.message } : {}) };
}

export function plannedCrmWrite(w: CrmWrite): PlannedChange {
  if (w.kind === 'create') return { side: 'crm', kind: 'create', ...(w.referral.referralId ? { referralId: w.referral.referralId } : {}), dealName: w.referral.dealName };
  if (w.kind === 'update' && w.changedFields.length > 0) {
    return { side: 'crm', kind: 'update', crmId: w.crmId, ...(w.referral.referralId ? { referralId: w.referral.referralId } : {}), dealName: w.referral.dealName, fields: w.changedFields, values: valuesOf(w.referral, w.changedFields), ...statusOf(w) };
  }
  return { side: 'crm', kind: 'status', crmId: w.crmId, ...statusOf(w) };
}
