/**
 * A seller's change, on the record, of a field only Partner Center writes (`flows: 'to-crm'` in
 * mappings/field-ownership.ts): the location after the deal exists (seed "Location cannot be edited after
 * creating the referral", rule location.immutable), the referral and engagement IDs (identity.immutable),
 * Microsoft's status and what goes with it (microsoft.read_only: "a read-only field", CSV page). None is sent:
 * the merge writes Partner Center's value back onto the record, and the record's message names the field, the
 * value not sent and the rule. Until 2026-12-06 only the location said so; the others were put back under a
 * bare *synced*. Pure.
 */
import type { SyncStatus } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import { holdsWhereDefined } from '../model/diff.js';
import { checkActorScope, checkImmutables } from '../rules/ownership.js';
import { fieldLabel, type FieldLabels } from '../rules/field-labels.js';
import { readUnit, writeUnit } from './merge/units.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { withKeptNote } from './kept-note.js';

const OWNED_UNITS = SYNC_FIELDS.filter((f) => f.flows === 'to-crm').map((f) => f.unit);
const CODES = ['location.immutable', 'identity.immutable', 'microsoft.read_only'];

/** The record's own value: Microsoft's side by its status, the way the record shows it. */
const shown = (value: unknown): string => (typeof value === 'object' && value !== null && 'status' in value ? String((value as { status: unknown }).status) : String(value));

/** The units only Partner Center writes that the record holds otherwise than Partner Center and the base. */
function editedOwnedUnits(base: Referral, crmHolds: Referral, pc: Referral): string[] {
  return OWNED_UNITS.filter((unit) => {
    const value = readUnit(crmHolds, unit);
    return value !== undefined && !holdsWhereDefined(value, readUnit(pc, unit)) && !holdsWhereDefined(value, readUnit(base, unit));
  });
}

/** Partner Center's referral with the record's values of `units` laid over it (Microsoft's side attribute by attribute). */
function askedFor(units: readonly string[], crmHolds: Referral, pc: Referral): Referral {
  return units.reduce((next, unit) => {
    const value = readUnit(crmHolds, unit);
    const current = readUnit(pc, unit);
    const laid = typeof value === 'object' && value !== null && typeof current === 'object' && current !== null
      ? { ...current, ...Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) }
      : value;
    return writeUnit(next, unit, laid);
  }, pc);
}

/** Why the record's values of Partner Center's fields were not sent, or '' when it holds Partner Center's. */
export function ownedFieldRefusal(base: Referral, crmHolds: Referral, pc: Referral, labels: FieldLabels = {}): string {
  const units = editedOwnedUnits(base, crmHolds, pc);
  if (units.length === 0) return '';
  const asked = askedFor(units, crmHolds, pc);
  // The rules that own these fields; checkActorScope reads no clock.
  const violations = [...checkImmutables(pc, asked), ...checkActorScope(pc, asked, { actor: 'us', now: new Date(0) })];
  // One sentence per field, named by the seller's label, with the rule's words and code last: Salesforce's
  // message field keeps 255 characters.
  return units.flatMap((unit) => {
    const own = violations.filter((v) => v.field === unit || v.field.startsWith(`${unit}.`));
    if (own.length === 0) return [];
    const reasons = [...new Set(own.map((v) => `${v.message} [${v.code}]`))].join(' ');
    return [`${fieldLabel(unit, labels)} ${shown(readUnit(crmHolds, unit))} was not sent and shows Partner Center's again: ${reasons}`];
  }).join(' ');
}

/**
 * The message with the refusal added; once the record shows Partner Center's values again, the last
 * refusal stays while nothing else changes, so the seller sees why the field went back.
 */
export function withOwnedFieldRefusal(message: string, base: Referral, crmHolds: Referral, pc: Referral, quiet: boolean, last: SyncStatus | undefined, labels: FieldLabels = {}): string {
  return withKeptNote(message, ownedFieldRefusal(base, crmHolds, pc, labels), CODES, quiet, last);
}
