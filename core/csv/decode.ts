/**
 * Bytes → text without losing track of bytes that are not UTF-8. `Buffer.toString('utf8')` turns them
 * into U+FFFD, and the import then stored a customer name with a replacement character in it: silent
 * corruption. Here every byte of an invalid sequence becomes the code point U+10FF00+byte, at the end of
 * Supplementary Private Use Area-B (like Python's "surrogateescape", but a lone surrogate would not
 * survive csv-parse, which re-encodes its input as UTF-8). parse.ts refuses a cell that holds one,
 * naming the column and the byte position, and nothing else in the file is affected. A file that really
 * carries U+10FF80…U+10FFFF (private-use characters no Partner Center field has a use for) is read the
 * same way and refused.
 */

const ESCAPE_BASE = 0x10ff00;
const strict = new TextDecoder('utf-8', { fatal: true });

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  const cont = (k: number) => {
    const c = bytes[i + k];
    return c !== undefined && (c & 0xc0) === 0x80;
  };
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const second = bytes[i + 1] ?? 0;
    // No overlong forms (E0 80..9F) and no UTF-16 surrogates (ED A0..BF).
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

export function decodeUtf8Escaping(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Slow path, only for a file that has invalid bytes.
  }
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (i > start) parts.push(strict.decode(bytes.subarray(start, i)));
    parts.push(String.fromCodePoint(ESCAPE_BASE + (bytes[i] as number)));
    i += 1;
    start = i;
  }
  if (start < bytes.length) parts.push(strict.decode(bytes.subarray(start)));
  return parts.join('');
}

/** The first escaped (invalid) byte in `text`: its value and its 1-based byte position within `text` as UTF-8. */
export function firstInvalidByte(text: string): { byte: number; position: number } | undefined {
  let position = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code >= ESCAPE_BASE + 0x80 && code <= ESCAPE_BASE + 0xff) return { byte: code - ESCAPE_BASE, position: position + 1 };
    position += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return undefined;
}
