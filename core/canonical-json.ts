/**
 * JSON with object keys sorted (code-unit order) and undefined members dropped, so that equal content gives
 * equal text whatever the order of its keys: what a content hash is taken of (a CSV row's deal,
 * core/csv/idempotency.ts; the settings that decide a sync, config/settings-digest.ts). Pure.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
