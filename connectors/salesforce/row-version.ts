/**
 * A version token for an Opportunity row as the connector reads it: a hash of every field it selects
 * (SystemModstamp included). Salesforce has no ETags on collections and SystemModstamp has one-second
 * precision, so two saves in the same second can share a stamp; the row's content tells them apart. The
 * reader hands it to the engine as `CrmDeal.etag`; the writer recomputes it just before a save to see
 * whether someone changed the record since the engine read it (write.ts). Pure.
 */
import { hash } from 'node:crypto';

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
 * The sorted key lists of the key lists met, by length: the rows of an answer share a few shapes (one SELECT,
 * one key order: the opportunity, its account, each kind of related row), so a row's keys are sorted once per
 * shape instead of once per row and version (sorting was 2.4% of a 1% cycle's instructions at 5,000 deals,
 * callgrind). A hit compares the two lists name by name, so equal lists alone share an order.
 */
const shapesByLength = new Map<number, { keys: readonly string[]; sorted: readonly string[] }[]>();
const SHAPES_PER_LENGTH = 8;
const LENGTHS_KEPT = 256;

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** `Object.keys(record).sort()` (code-unit order), from the shapes met when the keys are one of them. */
function sortedKeys(record: object): readonly string[] {
  const keys = Object.keys(record);
  const shapes = shapesByLength.get(keys.length);
  if (shapes) for (const shape of shapes) if (sameNames(shape.keys, keys)) return shape.sorted;
  const sorted = [...keys].sort();
  if (shapes) {
    if (shapes.length < SHAPES_PER_LENGTH) shapes.push({ keys, sorted });
  } else if (shapesByLength.size < LENGTHS_KEPT) shapesByLength.set(keys.length, [{ keys, sorted }]);
  return sorted;
}

/** Characters `JSON.stringify` escapes in a string: `"`, `\\`, controls and (lone) surrogates (ES2019 well-formed JSON). */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const ESCAPED_IN_JSON = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(value) ?? 'null'` for a value that is not an object: a row's every field value goes through
 * it (each opportunity and related row read or written, several times), and `JSON.stringify` paid its
 * serializer's setup per value (the single hottest line of the initial sync's engine profile, 2026-12-07).
 * A string with nothing to escape is its text in quotes, a number, boolean or null its JSON text; any
 * other string and any other kind of value still go through `JSON.stringify`, so the text (and the
 * versions stored from it) is the same.
 */
function scalarJson(value: unknown): string {
  if (typeof value === 'string') return ESCAPED_IN_JSON.test(value) ? JSON.stringify(value) : `"${value}"`;
  // A finite number's JSON is its shortest round-trip text, as String gives; NaN and the infinities are null.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  return JSON.stringify(value) ?? 'null';
}

/**
 * JSON with object keys sorted (code-unit order), `attributes` and undefined fields left out. Stored
 * versions were computed from exactly this text, so it must not change; it is built in one pass of
 * string appends (no entry arrays or per-level joins: it runs on every row read, several times).
 * `skip` leaves out more fields of this object; `stamps` leaves out `SystemModstamp` here and in the objects
 * it holds, down to the first array (what `relatedRowVersion` hashes, without copying the row first).
 */
function canonical(value: unknown, stamps = false, skip?: readonly string[]): string {
  if (value === null || typeof value !== 'object') return scalarJson(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonical(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // `attributes` (type and URL) is metadata of the answer, not of the record.
  const names = sortedKeys(record);
  let out = '{';
  let first = true;
  for (const name of names) {
    const field = record[name];
    if (name === 'attributes' || field === undefined || (stamps && name === 'SystemModstamp') || skip?.includes(name)) continue;
    out += `${first ? '' : ','}${quotedName(name)}:${canonical(field, stamps)}`;
    first = false;
  }
  return `${out}}`;
}

// One-shot `hash` (the same SHA-256 as createHash().update().digest()): about half the cost for a row's
// text, without a Hash object per row; it runs for every opportunity and related row read or written.
const hashed = (text: string) => hash('sha256', text, 'base64url').slice(0, 22);

/**
 * Whether two values have the same content as a row version sees it (object keys in any order, `attributes`
 * and undefined fields left out): the texts a version hashes, compared without hashing them. Pure.
 */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** `skip`: fields of the record left out of its version (long-text-apart.ts). */
export function rowVersion(record: Readonly<Record<string, unknown>>, skip?: readonly string[]): string {
  return hashed(canonical(record, false, skip));
}

/**
 * `rowVersion` remembered per row object, for the rows of one listing: a listed row's version is asked for
 * when the listing is first read, again per page, before a read the engine made is taken for it, and for the
 * deal built from it (read.ts, assemble.ts), each time hashing every field selected. The rows of an answer
 * are never changed after it arrives; a row built anew (a copy) is a new object and gets its own version.
 */
export function rowVersionMemo(skip?: readonly string[]): (record: Readonly<Record<string, unknown>>) => string {
  const versions = new WeakMap<object, string>();
  return (record) => {
    let version = versions.get(record);
    if (version === undefined) {
      version = rowVersion(record, skip);
      versions.set(record, version);
    }
    return version;
  };
}

/**
 * The version of a related row (team member, contact role with its contact, solution, invitation) or of an
 * opportunity's account, as a deal is built from it: a hash of its content, not of its stamps, so that the
 * full read and the related-change query (which selects the stamps besides the same fields) give the same
 * version, and a save that changed nothing the deal reads is known. The opportunity a contact role names is
 * left out: the connector's own writes move its stamp.
 */
export function relatedRowVersion(record: Readonly<Record<string, unknown>>): string {
  return hashed(canonical(record, true, ['Opportunity']));
}
