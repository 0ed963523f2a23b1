/**
 * Partner Center reads property names without regard to case: its own create sample sends
 * `ConsentToToShareInfoWithOthers` and `ConsentToContact` next to camelCase names (partner-center-api.md
 * §1.7 Consent, "suggests the API is case-insensitive"). The sandbox accepts that by camel-casing the
 * first letter of every property name in request bodies and PATCH paths; it always answers camelCase.
 */
const camel = (key: string): string => (key.startsWith('@') || key === '' ? key : key[0]?.toLowerCase() + key.slice(1));

export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [camel(k), camelCaseKeys(v)]));
}

/** `/Details/DealValue` → `/details/dealValue`. */
export function camelCasePath(path: string): string {
  return path
    .split('/')
    .map((segment) => camel(segment))
    .join('/');
}
