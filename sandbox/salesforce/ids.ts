/**
 * Salesforce record IDs: a 3-character key prefix, 12 characters, and a 3-character checksum that makes
 * the 18-character form case-insensitive. The API always returns 18 characters and accepts 15 or 18.
 * Checksum: https://help.salesforce.com/s/articleView?id=000385585 (each 5-character block yields one
 * character of `ABCDEFGHIJKLMNOPQRSTUVWXYZ012345`, bit i set when character i is an upper-case letter).
 */
const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** Base 62 in ASCII order, so that IDs sort in creation order as plain strings. */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function idChecksum(id15: string): string {
  let out = '';
  for (let block = 0; block < 3; block += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const ch = id15.charAt(block * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    out += CHECKSUM_CHARS.charAt(bits);
  }
  return out;
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The 18-character form of a 15- or 18-character ID, or undefined when it is not an ID at all. */
export function toId18(id: string): string | undefined {
  if (!ID_PATTERN.test(id)) return undefined;
  if (id.length === 15) return id + idChecksum(id);
  // An 18-character ID is case-insensitive: restore the case of the first 15 from the checksum.
  const suffix = id.slice(15).toUpperCase();
  let restored = '';
  for (let block = 0; block < 3; block += 1) {
    const bits = CHECKSUM_CHARS.indexOf(suffix.charAt(block));
    for (let i = 0; i < 5; i += 1) {
      const ch = id.charAt(block * 5 + i);
      restored += bits & (1 << i) ? ch.toUpperCase() : ch.toLowerCase();
    }
  }
  return restored + suffix;
}

/** Issues IDs per key prefix: prefix + 2-character pod + 10-character base-62 counter. */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  constructor(private readonly pod = '5g') {}

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    let body = '';
    let rest = n;
    for (let i = 0; i < 10; i += 1) {
      body = BASE62.charAt(rest % 62) + body;
      rest = Math.floor(rest / 62);
    }
    const id15 = `${prefix}${this.pod}${body}`;
    return id15 + idChecksum(id15);
  }

  /** Keeps counters ahead of IDs loaded from a persisted file. */
  observe(id: string): void {
    const prefix = id.slice(0, 3);
    const body = id.slice(5, 15);
    let n = 0;
    for (const ch of body) n = n * 62 + BASE62.indexOf(ch);
    if (n > (this.counters.get(prefix) ?? 0)) this.counters.set(prefix, n);
  }
}
