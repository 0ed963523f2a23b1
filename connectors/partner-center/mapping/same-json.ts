/**
 * Deep equality of JSON data (plain objects, arrays, strings, numbers, booleans, null; `undefined` as an
 * object member's value), answered as `node:util` `isDeepStrictEqual` answers it: the same own keys, members
 * equal, key order free, primitives by `Object.is` (NaN equals NaN, 0 differs from -0), a member holding
 * `undefined` is not a missing one. Anything else (a Date, a class instance, an object without a prototype,
 * an object with symbol keys) is handed to `isDeepStrictEqual` itself.
 *
 * Why not `isDeepStrictEqual` everywhere: it is written for any value (prototypes, symbols, Maps, cycles)
 * and paid for it on every member; the JSON Patch of each Partner Center update compares every member of the
 * referral's arrays with it (patch-operations.ts), and its key checks were the engine's busiest frames in a
 * profile of the 1%-changed cycle. Pure.
 */
import { isDeepStrictEqual } from 'node:util';

const isPlainObject = (value: object): boolean => Object.getPrototypeOf(value) === Object.prototype && Object.getOwnPropertySymbols(value).length === 0;

export function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    // A JSON array has no holes (one that has goes the long way) and no named members (not compared here).
    if (Object.getPrototypeOf(a) !== Array.prototype || Object.getPrototypeOf(b) !== Array.prototype) return isDeepStrictEqual(a, b);
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) {
      if (!(i in a) || !(i in b)) return isDeepStrictEqual(a, b);
      if (!sameJson(a[i], b[i])) return false;
    }
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return isDeepStrictEqual(a, b);
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) if (!Object.hasOwn(right, key) || !sameJson(left[key], right[key])) return false;
  return true;
}
