/**
 * A version token for an Opportunity row as the connector reads it: a hash of every field it selects
 * (SystemModstamp included). Salesforce has no ETags on collections and SystemModstamp has one-second
 * precision, so two saves in the same second can share a stamp; the row's content tells them apart. The
 * reader hands it to the engine as `CrmDeal.etag`; the writer recomputes it just before a save to see
 * whether someone changed the record since the engine read it (write.ts). Pure.
 */
import { createHash } from 'node:crypto';

/** `JSON.stringify` of each field name seen: the same few dozen names, on every row of every page. */
const quotedNames = new Map<string, string>();
const QUOTED_NAMES_KEPT = 2_000;

function quotedName(name: string): string {
  let quoted = quotedNames.get(name);
  if (quoted === undefined) {
    quoted = JSON.stringify(name);
    if (quotedNames.size < QUOTED_NAMES_KEPT) quotedNames.set(name, quoted);
  }
  return quoted;
}

/**
 * JSON with object keys sorted (code-unit order), `attributes` and undefined fields left out. Stored
 * versions were computed from exactly this text, so it must not change; it is built in one pass of
 * string appends (no entry arrays or per-level joins: it runs on every row read, several times).
 */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonical(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // `attributes` (type and URL) is metadata of the answer, not of the record.
  const names = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const name of names) {
    const field = record[name];
    if (name === 'attributes' || field === undefined) continue;
    out += `${first ? '' : ','}${quotedName(name)}:${canonical(field)}`;
    first = false;
  }
  return `${out}}`;
}

export function rowVersion(record: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(canonical(record)).digest('base64url').slice(0, 22);
}

/** A record without its stamps (and those of the records it names), and without the `omit` relationships. */
function content(value: unknown, omit: readonly string[] = []): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (k !== 'SystemModstamp' && !omit.includes(k)) out[k] = content(v);
  return out;
}

/**
 * The version of a related row (team member, contact role with its contact, solution, invitation) or of an
 * opportunity's account, as a deal is built from it: a hash of its content, not of its stamps, so that the
 * full read and the related-change query (which selects the stamps besides the same fields) give the same
 * version, and a save that changed nothing the deal reads is known. The opportunity a contact role names is
 * left out: the connector's own writes move its stamp.
 */
export function relatedRowVersion(record: Readonly<Record<string, unknown>>): string {
  return rowVersion(content(record, ['Opportunity']) as Record<string, unknown>);
}
