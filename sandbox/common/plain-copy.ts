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
  for (const key of Object.keys(source)) {
    if (key === '__proto__') Object.defineProperty(out, key, { value: copyPlain(source[key]), enumerable: true, writable: true, configurable: true });
    else out[key] = copyPlain(source[key]);
  }
  return out as T;
}
