/**
 * A version token for an Opportunity row as the connector reads it: a hash of every field it selects
 * (SystemModstamp included). Salesforce has no ETags on collections and SystemModstamp has one-second
 * precision, so two saves in the same second can share a stamp; the row's content tells them apart. The
 * reader hands it to the engine as `CrmDeal.etag`; the writer recomputes it just before a save to see
 * whether someone changed the record since the engine read it (write.ts). Pure.
 */
import { createHash } from 'node:crypto';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  // `attributes` (type and URL) is metadata of the answer, not of the record.
  const entries = Object.entries(value as Record<string, unknown>).filter(([k, v]) => k !== 'attributes' && v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
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
