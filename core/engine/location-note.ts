/**
 * A seller's change of the record's location after the deal exists. Partner Center allows none (seed
 * "Location cannot be edited after creating the referral", rule location.immutable), so the change is
 * not sent: the merge writes Partner Center's location back onto the record (mappings/field-ownership.ts)
 * and the record's message says why. Pure.
 */
import type { SyncStatus } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import { checkImmutables } from '../rules/ownership.js';
import { describeViolations } from '../rules/violation.js';
import { fieldLabel, type FieldLabels } from '../rules/field-labels.js';

const CODE = '[location.immutable]';

/** Why the record's location was not sent, or '' when the record holds Partner Center's location (or none). */
export function locationChangeRefusal(crmHolds: Referral, pc: Referral, labels: FieldLabels = {}): string {
  if (crmHolds.location === undefined || pc.location === undefined || crmHolds.location === pc.location) return '';
  const violations = checkImmutables(pc, { ...pc, location: crmHolds.location }).filter((v) => v.code === 'location.immutable');
  return violations.length ? `${fieldLabel('location', labels)} ${crmHolds.location} was not sent and the record shows Partner Center's again. ${describeViolations(violations, labels)}` : '';
}

/**
 * The message with the refusal added; once the record shows Partner Center's location again, the last
 * refusal stays while nothing else changes, so the seller sees why the field went back.
 */
export function withLocationRefusal(message: string, crmHolds: Referral, pc: Referral, quiet: boolean, last: SyncStatus | undefined, labels: FieldLabels = {}): string {
  const refusal = locationChangeRefusal(crmHolds, pc, labels);
  if (refusal) return [message, refusal].filter(Boolean).join(' ');
  if (!message && quiet && last?.state === 'synced' && last.message.includes(CODE)) return last.message;
  return message;
}
