/**
 * What a seller reads on a record whose referral reached a final state in Partner Center, so that a
 * closed opportunity always says why it closed (a decline, an expiry, a loss, a win), not only that
 * Partner Center stopped taking changes.
 */
import { CloseReason } from '../model/enums.js';
import type { Referral } from '../model/referral.js';
import { sameValue } from '../model/diff.js';
import { STATUS_UNIT_FIELDS } from '../../mappings/field-ownership.js';

function because(r: Pick<Referral, 'closeReason' | 'closeNotes'>): string {
  const reason = r.closeReason ? CloseReason.label(r.closeReason) : undefined;
  // Partner Center's free-text reason is often the reason's own label (its form writes it so, and a reason
  // is read from such text): shown twice it read "(Customer chose another vendor: Customer chose another vendor)".
  const notes = r.closeNotes && r.closeNotes.trim().toLowerCase() !== reason?.toLowerCase() ? r.closeNotes : undefined;
  const text = [reason, notes].filter(Boolean).join(': ');
  return text ? ` (${text})` : '';
}

export function finalStateMessage(r: Pick<Referral, 'substatus' | 'closeReason' | 'closeNotes'>): string {
  switch (r.substatus) {
    case 'Won':
      return 'Won in Partner Center.';
    case 'Lost':
      return `Lost in Partner Center${because(r)}.`;
    case 'Declined':
      return `Declined in Partner Center${because(r)}: the opportunity is closed as lost.`;
    case 'Expired':
      return 'Expired in Partner Center: the referral was not accepted within its 14 days, so the opportunity is closed as lost.';
    default:
      return '';
  }
}

/**
 * A CRM difference that only restates Partner Center's final outcome, not a seller's edit: the sales stage
 * of a CRM record closed as Partner Center closed it. Partner Center has no sales stage for Won ("Created,
 * Accepted and Won have no salesStage value: the API expresses them through status and substatus",
 * mappings/sales-stages.ts), so its referral keeps the stage it had before closing, while the CRM reads Won
 * on a won record and no stage at all on a lost one (its closed-lost stage maps to none: mappings/stages.*.ts).
 * `outcomeToCrm`: Partner Center's outcome is written into the CRM by this sync (the seller closed it
 * otherwise, and the final state wins), which replaces the stage the seller set with the outcome's.
 */
export function restatesFinalState(unit: string, crm: Pick<Referral, 'salesStage'>, pc: Pick<Referral, 'substatus'>, outcomeToCrm = false): boolean {
  if (unit !== 'salesStage') return false;
  return outcomeToCrm || crm.salesStage === undefined || (crm.salesStage === 'Won' && pc.substatus === 'Won');
}

/**
 * The fields a `closed` record names for the units the seller edited: the status unit moves four fields
 * together, so it is named by those that differ (a changed loss reason is "Decline or loss reason", not the
 * Stage or Status the seller never touched). A status moved (a reopen) is named alone: the reason and its
 * notes belong to the close (merge/units.ts), and an open record's are no edit. Any other unit is its field.
 */
export function editedFields(units: readonly string[], crm: Referral, pc: Referral): string[] {
  const differ = (fields: readonly (typeof STATUS_UNIT_FIELDS)[number][]) => fields.filter((f) => !sameValue(crm[f], pc[f]));
  return units.flatMap((unit) => {
    if (unit !== 'status') return [unit];
    const moved = differ(STATUS_UNIT_FIELDS.slice(0, 2));
    const changed = moved.length > 0 ? moved : differ(STATUS_UNIT_FIELDS.slice(2));
    return changed.length > 0 ? changed : [unit];
  });
}
