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
  // As the answer's JSON text reads: a number JSON cannot write is null there (an answer kept as a value).
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/**
 * `text` with every resolvable reference replaced by its value as text, and the first reference that stands
 * for no value (as `referenceId.path`, with its referenceId), if any: one walk over the references, each
 * value looked up once (a subrequest's url was walked twice, once to resolve and once to find a missing one).
 */
export function resolveReferences(text: string, source: ReferenceSource): { text: string; missing?: { reference: string; referenceId: string } } {
  let missing: { reference: string; referenceId: string } | undefined;
  const resolved = text.replace(REFERENCE, (whole, referenceId: string, path: string) => {
    const value = valueAt(source, referenceId, path);
    if (value === undefined || value === null || typeof value === 'object') {
      missing ??= { reference: `${referenceId}${path}`, referenceId };
      return whole;
    }
    return String(value);
  });
  return missing ? { text: resolved, missing } : { text: resolved };
}

/** `text` with every resolvable reference replaced by its value as text. */
export function resolveInText(text: string, source: ReferenceSource): string {
  return resolveReferences(text, source).text;
}

/** Whether any string in `body` holds a reference. Walks without copying (a collection of 200 records has none). */
function holdsReference(body: unknown): boolean {
  if (typeof body === 'string') return body.includes('@{');
  if (Array.isArray(body)) return body.some(holdsReference);
  if (body !== null && typeof body === 'object') {
    for (const key in body) if (holdsReference((body as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** The referenceIds that `text` (a Composite request's JSON) refers to anywhere: the answers worth keeping as values. */
export function referencedIds(text: string): Set<string> {
  const ids = new Set<string>();
  if (!text.includes('@{')) return ids;
  for (const [, referenceId] of text.matchAll(REFERENCE)) ids.add(referenceId!);
  return ids;
}

/**
 * A request body with references resolved in every string it holds. What holds no reference is given back
 * as it is, not copied: a collection write of 200 records (the connector's usual subrequest) has none, and
 * copying it entry by entry cost more than the write's checks. The caller only serialises the result.
 */
export function resolveInBody(body: unknown, source: ReferenceSource): unknown {
  return holdsReference(body) ? resolveIn(body, source) : body;
}

function resolveIn(body: unknown, source: ReferenceSource): unknown {
  if (typeof body === 'string') return body.includes('@{') ? resolveInText(body, source) : body;
  if (Array.isArray(body)) {
    let out: unknown[] | undefined;
    body.forEach((item, i) => {
      const resolved = resolveIn(item, source);
      if (resolved !== item) (out ??= body.slice())[i] = resolved;
    });
    return out ?? body;
  }
  if (body !== null && typeof body === 'object') {
    const entries = Object.entries(body);
    let changed = false;
    const resolved = entries.map(([k, v]) => {
      const r = resolveIn(v, source);
      if (r !== v) changed = true;
      return [k, r] as const;
    });
    return changed ? Object.fromEntries(resolved) : body;
  }
  return body;
}
