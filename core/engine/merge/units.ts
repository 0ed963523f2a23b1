/**
 * Reading and writing merge units (see mappings/field-ownership.ts) on a canonical referral.
 */
import { STATUS_UNIT_FIELDS } from '../../../mappings/field-ownership.js';
import type { Referral } from '../../model/referral.js';

export function readUnit(r: Referral, unit: string): unknown {
  if (unit === 'status') {
    return Object.fromEntries(STATUS_UNIT_FIELDS.filter((f) => r[f] !== undefined).map((f) => [f, r[f]]));
  }
  if (unit.startsWith('customer.')) return (r.customer as unknown as Record<string, unknown>)[unit.slice('customer.'.length)];
  return (r as unknown as Record<string, unknown>)[unit];
}

/** Returns a copy of `r` with `unit` set to `value` (structural sharing elsewhere). */
export function writeUnit(r: Referral, unit: string, value: unknown): Referral {
  if (unit === 'status') {
    const next: Record<string, unknown> = { ...r };
    for (const f of STATUS_UNIT_FIELDS) delete next[f];
    return { ...(next as unknown as Referral), ...(value as Partial<Referral>) };
  }
  if (unit.startsWith('customer.')) {
    const key = unit.slice('customer.'.length);
    const customer: Record<string, unknown> = { ...r.customer, [key]: value };
    if (value === undefined) delete customer[key];
    return { ...r, customer: customer as unknown as Referral['customer'] };
  }
  const next: Record<string, unknown> = { ...r, [unit]: value };
  if (value === undefined) delete next[unit];
  return next as unknown as Referral;
}

/** The canonical field paths a unit covers, for adapters' `changedFields` and rule messages. */
export function unitFields(unit: string): string[] {
  return unit === 'status' ? [...STATUS_UNIT_FIELDS] : [unit];
}
