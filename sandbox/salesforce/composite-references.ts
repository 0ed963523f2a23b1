/**
 * Composite request references: `@{referenceId.path}` in a subrequest's URL or body stands for a value of
 * an earlier subrequest's response body, e.g. `@{refAccount.id}` or `@{NewAccountQuery.records[0].Id}`.
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite.md
 * A reference in a subrequest's URL that stands for no value (an earlier answer without that member, e.g. the
 * `nextRecordsUrl` of a query batch that came back `done`) is not run: 400 `PROCESSING_HALTED`, "Invalid reference
 * specified. No value for newQuote1.id found in newQuote1", as a client posted Salesforce's answer (pastebin.com/WFttLHq3;
 * the guide shows no example: UNVERIFIED beyond that). One in a body is left as written, so the subrequest
 * fails on the literal text (MALFORMED_ID, …).
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

/** The first reference in `text` that stands for no value, as `referenceId.path` with its referenceId, or undefined. */
export function unresolvedIn(text: string, source: ReferenceSource): { reference: string; referenceId: string } | undefined {
  if (!text.includes('@{')) return undefined;
  for (const [, referenceId, path] of text.matchAll(REFERENCE)) {
    const value = valueAt(source, referenceId!, path!);
    if (value === undefined || value === null || typeof value === 'object') return { reference: `${referenceId}${path}`, referenceId: referenceId! };
  }
  return undefined;
}

/** `text` with every resolvable reference replaced by its value as text. */
export function resolveInText(text: string, source: ReferenceSource): string {
  return text.replace(REFERENCE, (whole, referenceId: string, path: string) => {
    const value = valueAt(source, referenceId, path);
    return value === undefined || value === null || typeof value === 'object' ? whole : String(value);
  });
}

/**
 * A request body with references resolved in every string it holds. What holds no reference is given back
 * as it is, not copied: a collection write of 200 records (the connector's usual subrequest) has none, and
 * copying it entry by entry cost more than the write's checks. The caller only serialises the result.
 */
export function resolveInBody(body: unknown, source: ReferenceSource): unknown {
  if (typeof body === 'string') return body.includes('@{') ? resolveInText(body, source) : body;
  if (Array.isArray(body)) {
    let out: unknown[] | undefined;
    body.forEach((item, i) => {
      const resolved = resolveInBody(item, source);
      if (resolved !== item) (out ??= body.slice())[i] = resolved;
    });
    return out ?? body;
  }
  if (body !== null && typeof body === 'object') {
    const entries = Object.entries(body);
    let changed = false;
    const resolved = entries.map(([k, v]) => {
      const r = resolveInBody(v, source);
      if (r !== v) changed = true;
      return [k, r] as const;
    });
    return changed ? Object.fromEntries(resolved) : body;
  }
  return body;
}
