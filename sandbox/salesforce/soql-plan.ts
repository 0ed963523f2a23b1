/**
 * Which rows a WHERE clause needs to look at: an `Access` (indexes.ts) per condition, combined through
 * AND and OR. The result is always a superset of the matching rows (the full predicate still tests each
 * one), so a plan can only make a query cheaper, never change its answer.
 */
import type { Access, Bound } from './indexes.js';
import { STAMP_FIELD } from './indexes.js';
import type { FieldDef } from './schema.js';

const ALL: Access = { kind: 'all' };
/** Types whose stored values compare as text (or exact IDs): `String(value)` is a sound index key. */
const KEYED_TYPES = new Set(['id', 'reference', 'string', 'textarea', 'picklist', 'email', 'phone', 'url']);

/** How many rows an access reaches (the org's indexes answer without reading the rows). */
export type Estimate = (access: Access) => number;

/** `field = v` or `field IN (…)` (values already in their stored form), on the queried object itself. */
export function keysAccess(field: FieldDef, direct: boolean, op: string, values: readonly unknown[]): Access {
  if (!direct || !KEYED_TYPES.has(field.type) || (op !== '=' && op !== 'IN')) return ALL;
  return { kind: 'keys', field: field.name, values };
}

/** `SystemModstamp <op> <datetime literal in ms>` on the queried object itself. */
export function stampAccess(field: FieldDef, direct: boolean, op: string, ms: unknown): Access {
  if (!direct || field.name !== STAMP_FIELD || typeof ms !== 'number') return ALL;
  switch (op) {
    case '=': return { kind: 'range', lo: { ms, inclusive: true }, hi: { ms, inclusive: true } };
    case '>': return { kind: 'range', lo: { ms, inclusive: false } };
    case '>=': return { kind: 'range', lo: { ms, inclusive: true } };
    case '<': return { kind: 'range', hi: { ms, inclusive: false } };
    case '<=': return { kind: 'range', hi: { ms, inclusive: true } };
    default: return ALL;
  }
}

const tighterLo = (a?: Bound, b?: Bound) => (!a ? b : !b ? a : a.ms !== b.ms ? (a.ms > b.ms ? a : b) : a.inclusive ? b : a);
const tighterHi = (a?: Bound, b?: Bound) => (!a ? b : !b ? a : a.ms !== b.ms ? (a.ms < b.ms ? a : b) : a.inclusive ? b : a);
const looserLo = (a?: Bound, b?: Bound) => (!a || !b ? undefined : a.ms !== b.ms ? (a.ms < b.ms ? a : b) : a.inclusive ? a : b);
const looserHi = (a?: Bound, b?: Bound) => (!a || !b ? undefined : a.ms !== b.ms ? (a.ms > b.ms ? a : b) : a.inclusive ? a : b);

/** Rows both conditions need: the intersection of two ranges, else the cheaper of the two. */
export function both(a: Access, b: Access, estimate: Estimate): Access {
  if (a.kind === 'all') return b;
  if (b.kind === 'all') return a;
  if (a.kind === 'range' && b.kind === 'range') return { kind: 'range', lo: tighterLo(a.lo, b.lo), hi: tighterHi(a.hi, b.hi) };
  return estimate(a) <= estimate(b) ? a : b;
}

/** Rows either condition needs: the hull of two ranges, the union of keys on one field, else every row. */
export function either(a: Access, b: Access): Access {
  if (a.kind === 'range' && b.kind === 'range') return { kind: 'range', lo: looserLo(a.lo, b.lo), hi: looserHi(a.hi, b.hi) };
  if (a.kind === 'keys' && b.kind === 'keys' && a.field === b.field) return { kind: 'keys', field: a.field, values: [...a.values, ...b.values] };
  return ALL;
}

export { ALL };
