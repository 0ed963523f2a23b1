import { fastLayout } from './fast-layout.js';

/** Up to this many properties added by computed keys, an object keeps V8's fast layout (4 in the object, 12 beside it). */
const FAST_KEYS = 16;

/**
 * A deep copy of JSON-shaped data (plain objects, arrays, primitives), the way structuredClone copies it
 * (undefined members kept, a `__proto__` member kept as a member), at a fraction of its cost: structuredClone
 * serialises and deserialises every value, and the Partner Center sandbox copies a referral several times
 * per write. Anything that is not a plain object or an array (a Date, a Map) is left to structuredClone.
 */
export function copyPlain<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(source);
  for (const key of keys) {
    if (key === '__proto__') Object.defineProperty(out, key, { value: copyPlain(source[key]), enumerable: true, writable: true, configurable: true });
    else out[key] = copyPlain(source[key]);
  }
  // Built key by key, an object of more than 16 properties is in V8's slow dictionary layout (fast-layout.ts).
  return (keys.length > FAST_KEYS ? fastLayout(out) : out) as T;
}
