/**
 * Partner Center reads property names without regard to case: its own create sample sends
 * `ConsentToToShareInfoWithOthers` and `ConsentToContact` next to camelCase names (partner-center-api.md
 * §1.7 Consent, "suggests the API is case-insensitive"). The sandbox accepts that by camel-casing the
 * first letter of every property name in request bodies and PATCH paths; it always answers camelCase.
 */
const camel = (key: string): string => {
  // Most names arrive camelCase already (a lower-case ASCII letter first): kept as they are, without a new string.
  const first = key.charCodeAt(0);
  if (first >= 97 && first <= 122) return key;
  return key.startsWith('@') || key === '' ? key : key[0]?.toLowerCase() + key.slice(1);
};

/** A deep copy with camel-cased property names (a later duplicate name wins, as Object.fromEntries has it). */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => camelCaseKeys(item));
  if (value === null || typeof value !== 'object') return value;
  return camelCaseObject(value as Record<string, unknown>);
}

/**
 * {@link camelCaseKeys} of an object, leaving out the top-level properties named in `omit` (after
 * camel-casing): a create drops what the server sets by not copying it, rather than by `delete` on the
 * copy, which would leave the stored referral in V8's slow dictionary mode.
 */
export function camelCaseObject(source: Record<string, unknown>, omit?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const name = camel(key);
    if (omit?.has(name)) continue;
    const copied = camelCaseKeys(source[key]);
    // A body's own `__proto__` member stays a member, never the copy's prototype.
    if (name === '__proto__') Object.defineProperty(out, name, { value: copied, enumerable: true, writable: true, configurable: true });
    else out[name] = copied;
  }
  return out;
}

/** `/Details/DealValue` → `/details/dealValue`. */
export function camelCasePath(path: string): string {
  return path
    .split('/')
    .map((segment) => camel(segment))
    .join('/');
}
