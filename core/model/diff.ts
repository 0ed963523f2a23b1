/**
 * Field-level comparison of two canonical referrals. The granularity is the one the rules and the
 * three-way merge reason about: scalar fields and the members of `customer`, `customerContact` and
 * `microsoft` are compared one by one; collections (`team`, `solutions`, `invitations`) and `initiator`
 * are compared as whole values, because their identity rules (by email, by solution ID) belong to the
 * merge, not to the comparison.
 */
import type { Referral } from './referral.js';

/** Fields whose nested members are compared one by one. */
const NESTED: readonly (keyof Referral)[] = ['customer', 'customerContact', 'microsoft'];

/** Structural equality for JSON-like values; `undefined` and a missing key are equal. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return a === b;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  // Every key of either side once, without building their union: the merge compares each unit of each
  // pair this way, and the union set (with two key arrays spread into it) was most of the cost.
  for (const key of Object.keys(left)) if (!sameValue(left[key], right[key])) return false;
  for (const key of Object.keys(right)) if (!isEnumerableOwn(left, key) && !sameValue(left[key], right[key])) return false;
  return true;
}

const isEnumerableOwn = (object: object, key: string): boolean => Object.prototype.propertyIsEnumerable.call(object, key);

/** Every key of either object once, sorted: `left`'s keys, then those only `right` has. */
function unitedKeys(left: object, right: object): string[] {
  // Without the union set and the two spread key arrays it was built from: the rules compare a pair's
  // referrals (about forty keys each) on every update sent.
  const keys = Object.keys(left);
  for (const key of Object.keys(right)) if (!isEnumerableOwn(left, key)) keys.push(key);
  return keys.sort();
}

/** The dotted paths whose values differ between `before` and `after`, in a stable order. */
export function changedPaths(before: Referral, after: Referral): string[] {
  const paths: string[] = [];
  for (const key of unitedKeys(before, after) as (keyof Referral)[]) {
    const a = before[key];
    const b = after[key];
    if (NESTED.includes(key) && (a === undefined || typeof a === 'object') && (b === undefined || typeof b === 'object')) {
      const left = (a ?? {}) as Record<string, unknown>;
      const right = (b ?? {}) as Record<string, unknown>;
      for (const member of unitedKeys(left, right)) if (!sameValue(left[member], right[member])) paths.push(`${key}.${member}`);
    } else if (!sameValue(a, b)) {
      paths.push(key);
    }
  }
  return paths;
}

/** Reads a dotted path produced by {@link changedPaths}. */
export function valueAt(referral: Referral, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), referral);
}

/**
 * Whether `side` holds `value` as far as it holds anything: nested attributes the side leaves undefined
 * are no opinion (a CRM that keeps Microsoft's status but not when it was asked). Arrays must match in
 * length, element by element.
 */
export function holdsWhereDefined(side: unknown, value: unknown): boolean {
  if (side === undefined) return true;
  if (Array.isArray(side)) return Array.isArray(value) && side.length === value.length && side.every((item, i) => holdsWhereDefined(item, value[i]));
  if (side !== null && typeof side === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const held = side as Record<string, unknown>;
    for (const k of Object.keys(held)) if (!holdsWhereDefined(held[k], (value as Record<string, unknown>)[k])) return false;
    return true;
  }
  return sameValue(side, value);
}
