/**
 * Composite request references: `@{referenceId.path}` in a subrequest's URL or body stands for a value of
 * an earlier subrequest's response body, e.g. `@{refAccount.id}` or `@{NewAccountQuery.records[0].Id}`.
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite.md
 * UNVERIFIED: what Salesforce answers for a reference it cannot resolve; the sandbox leaves it as written,
 * so the subrequest fails on the literal text (MALFORMED_ID, NOT_FOUND, …).
 */
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

/** The earlier answers, by referenceId (each parsed only when referenced). */
export type ReferenceSource = (referenceId: string) => unknown;

function valueAt(source: ReferenceSource, referenceId: string, path: string): unknown {
  let value = source(referenceId);
  for (const [, key, index] of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = index !== undefined ? (value as unknown[])[Number(index)] : (value as Record<string, unknown>)[key!];
  }
  return value;
}

/** `text` with every resolvable reference replaced by its value as text. */
export function resolveInText(text: string, source: ReferenceSource): string {
  return text.replace(REFERENCE, (whole, referenceId: string, path: string) => {
    const value = valueAt(source, referenceId, path);
    return value === undefined || value === null || typeof value === 'object' ? whole : String(value);
  });
}

/** A request body with references resolved in every string it holds. */
export function resolveInBody(body: unknown, source: ReferenceSource): unknown {
  if (typeof body === 'string') return resolveInText(body, source);
  if (Array.isArray(body)) return body.map((item) => resolveInBody(item, source));
  if (body !== null && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, resolveInBody(v, source)]));
  return body;
}
