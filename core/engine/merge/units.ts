/**
 * Reading and writing merge units (see mappings/field-ownership.ts) on a canonical referral.
 */
import { STATUS_UNIT_FIELDS } from '../../../mappings/field-ownership.js';
import type { Referral } from '../../model/referral.js';

const CUSTOMER_PREFIX = 'customer.';

/**
 * The decline or loss reason and its notes belong to a closed deal ("Choose a reason to mark the deal lost"):
 * picked on an open one, they are not yet a change (taken as synced, Partner Center, still Active, kept none
 * and the later close went without them and was refused). Written, the unit sets all four as before.
 */
const countsInUnit = (f: (typeof STATUS_UNIT_FIELDS)[number], status: unknown): boolean => status === 'Closed' || (f !== 'closeReason' && f !== 'closeNotes');

export function readUnit(r: Referral, unit: string): unknown {
  if (unit === 'status') {
    // Built field by field: the merge reads this unit of four referrals per pair, and a chain of
    // filter/map/fromEntries made three arrays and a dictionary-mode object each time.
    const status: Record<string, unknown> = {};
    for (const f of STATUS_UNIT_FIELDS) if (r[f] !== undefined && countsInUnit(f, r.status)) status[f] = r[f];
    return status;
  }
  const customerField = customerFieldOf(unit);
  if (customerField !== undefined) return (r.customer as unknown as Record<string, unknown>)[customerField];
  return (r as unknown as Record<string, unknown>)[unit];
}

/**
 * The customer field a `customer.*` unit names (null for any other unit), remembered per unit: the merge reads
 * every unit of four referrals per pair, and each read of a customer unit cut a new string out of its name.
 */
const customerFields = new Map<string, string | null>();
const CUSTOMER_FIELDS_KEPT = 256;

function customerFieldOf(unit: string): string | undefined {
  let field = customerFields.get(unit);
  if (field === undefined) {
    field = unit.startsWith(CUSTOMER_PREFIX) ? unit.slice(CUSTOMER_PREFIX.length) : null;
    if (customerFields.size < CUSTOMER_FIELDS_KEPT) customerFields.set(unit, field);
  }
  return field ?? undefined;
}

/** A copy of `base` with `values` set (an undefined value leaves its key out): no `delete`. */
function assigned(base: object | undefined, values: ReadonlyMap<string, unknown>): Record<string, unknown> {
  // Most writes only replace values or add a few keys: then a spread copy (V8 clones the object's layout at
  // once) with the values stored over it is the copy, in one allocation and in the base's key order.
  if (!reshapes(base, values)) {
    const copy: Record<string, unknown> = { ...(base as Record<string, unknown> | undefined) };
    for (const [key, value] of values) if (value !== undefined) copy[key] = value;
    return copy;
  }
  const out: Record<string, unknown> = {};
  if (base) for (const key of Object.keys(base)) if (!values.has(key)) out[key] = (base as Record<string, unknown>)[key];
  for (const [key, value] of values) if (value !== undefined) out[key] = value;
  // An object given more than about a dozen properties by computed keys is left in V8's dictionary mode
  // (a referral: ~1.6 KB instead of ~0.3 KB, and the engine holds one per deal of a page until it commits);
  // a spread copy of it is a plain object again.
  return { ...out };
}

/** Keys a spread copy is given by computed names at most, to stay a plain object (on Node 20 one given 20 became a dictionary, 16 did not). */
const ADDED_KEYS_KEPT_FAST = 8;

/**
 * Whether writing `values` over `base` takes a key out of it (an undefined value for a key it holds), which
 * needs `delete` on a copy, or adds more keys than a copy takes by computed names without turning into a
 * dictionary.
 */
function reshapes(base: object | undefined, values: ReadonlyMap<string, unknown>): boolean {
  let added = 0;
  for (const [key, value] of values) {
    const held = base !== undefined && Object.prototype.hasOwnProperty.call(base, key);
    if (value === undefined ? held : !held && ++added > ADDED_KEYS_KEPT_FAST) return true;
  }
  return false;
}

/**
 * A copy of `r` with each unit set to its value, made in one pass (structural sharing elsewhere): the
 * merge sets every unit of a referral, and a copy per unit made each pair cost O(units²).
 */
export function writeUnits(r: Referral, entries: Iterable<readonly [string, unknown]>): Referral {
  const top = new Map<string, unknown>();
  let customer: Map<string, unknown> | undefined;
  for (const [unit, value] of entries) {
    if (unit === 'status') {
      const fields = (value ?? {}) as Partial<Referral>;
      for (const f of STATUS_UNIT_FIELDS) top.set(f, fields[f]);
    } else if (unit.startsWith('customer.')) {
      (customer ??= new Map()).set(unit.slice('customer.'.length), value);
    } else {
      top.set(unit, value);
    }
  }
  if (customer) top.set('customer', assigned(top.has('customer') ? (top.get('customer') as object | undefined) : r.customer, customer));
  return assigned(r, top) as unknown as Referral;
}

/** Returns a copy of `r` with `unit` set to `value` (structural sharing elsewhere). */
export function writeUnit(r: Referral, unit: string, value: unknown): Referral {
  return writeUnits(r, [[unit, value]]);
}

/** `target` with each of `units` taken from `source`, in one copy. */
export function withUnits(target: Referral, source: Referral, units: readonly string[]): Referral {
  return units.length === 0 ? target : writeUnits(target, units.map((unit) => [unit, readUnit(source, unit)] as const));
}

/** The canonical field paths a unit covers, for adapters' `changedFields` and rule messages. */
export function unitFields(unit: string): string[] {
  return unit === 'status' ? [...STATUS_UNIT_FIELDS] : [unit];
}
