/**
 * What `cosell link CRM-ID REFERRAL-ID` will overwrite in Partner Center. The confirmed link's base is the
 * referral as it is now, so the next sync reads every value the record holds differently as the CRM's
 * change and sends it (confirm-link.ts): the referral's deal name, value, customer and the rest are
 * replaced by the record's. That is documented (docs/sync.md, Binding), but an admin who confirms a pair
 * must see it before the sync does it: until 2026-12-06 the command said only "Linked".
 *
 * Pure: the same merge the sync runs, on the two sides as read now.
 */
import type { CrmDeal } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { fieldLabel, type FieldLabels } from '../rules/field-labels.js';
import { mergeReferral } from './merge/three-way.js';
import { readUnit } from './merge/units.js';
import { showValue } from './replaced-values.js';
import { referralWithIntent } from './seller-intent.js';

export interface LinkOverwrite {
  unit: string;
  /** The CRM's label for the field. */
  field: string;
  partnerCenter: string;
  record: string;
}

/** Sets are shown by what identifies their members (emails, solution IDs), not as JSON. */
function shown(unit: string, value: unknown): string {
  if (unit === 'team' && Array.isArray(value)) return value.map((m: { email: string }) => m.email).join(', ') || '(none)';
  if (unit === 'solutions' && Array.isArray(value)) return value.map((s: { id: string }) => s.id).join(', ') || '(none)';
  if (unit === 'customerContact' && value && typeof value === 'object') {
    const c = value as { firstName?: string; lastName?: string; email?: string };
    return `${[c.firstName, c.lastName].filter(Boolean).join(' ')} <${c.email ?? ''}>`.trim();
  }
  return showValue(value);
}

export function linkOverwrites(deal: CrmDeal, referral: Referral, labels: FieldLabels): LinkOverwrite[] {
  const merge = mergeReferral({ base: referral, crm: referralWithIntent(deal), pc: referral, policy: 'crm-wins', ...(deal.cleared ? { crmCleared: deal.cleared } : {}) });
  // The record's own ID on the referral is the connector's to set, and said apart (confirm-link.ts).
  const connectorOwn = new Set(SYNC_FIELDS.filter((f) => f.setByConnector).map((f) => f.unit));
  return merge.toPartnerCenter
    .filter((unit) => !connectorOwn.has(unit))
    .map((unit) => ({ unit, field: fieldLabel(unit, labels), partnerCenter: shown(unit, readUnit(referral, unit)), record: shown(unit, readUnit(merge.merged, unit)) }));
}

/** Lines for the command's output: one a field, Partner Center's value, then the record's that replaces it. */
export function describeLinkOverwrites(list: readonly LinkOverwrite[]): string {
  if (list.length === 0) return "The record and the referral hold the same values: the merge overwrites nothing in Partner Center.";
  return [`The merge replaces ${list.length} field(s) in Partner Center with the record's values:`, ...list.map((o) => `  ${o.field}: ${o.partnerCenter} → ${o.record}`)].join('\n');
}
