/**
 * Reads a JSON answer as its bytes arrive, parsing each element of its top-level `value` array on its own
 * (pure, no I/O). Why (issue 13, peak memory): a 5,000-row page of the first run's plain read is about
 * 34 MB of JSON; read whole (axios), the engine held the answer's socket chunks (34 MB outside the heap),
 * their concatenation (34 MB more), the decoded text (34 MB in the heap) and the parsed rows at once, and
 * the engine's peak RSS came at those pages (bench, `--sizes 50000 --crm dynamics`). Here only the
 * element being read is held as bytes: a row is decoded and parsed as soon as its closing brace arrives,
 * and its bytes go with the socket chunk they came in.
 *
 * The result is what `JSON.parse` of the whole text gives: everything outside `value`'s elements (the
 * `@odata.context`, `@odata.nextLink`, `@odata.deltaLink`, an `error`) is gathered as text and parsed
 * with `value` left empty, and then `value` is given the rows, in order, at the same key. An answer that
 * is not a JSON object with such an array (an error, `WhoAmI`) is gathered whole and parsed, as before; an
 * answer that is not JSON at all comes back as its text, as axios gave it (an empty one as '').
 *
 * Not a streaming JSON library: those (stream-json, @streamparser/json) tokenise every value in JavaScript;
 * this only finds where each row ends (skipping string contents with `indexOf`) and leaves the row itself to
 * the native `JSON.parse`, so a page costs about what parsing it whole did.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The text before an array opened at the top object's level names it `value`: the key opens right after the
 * object's `{` or a `,`, so a key that merely ends in an escaped `\"value` is not taken for it.
 */
const VALUE_KEY = /[{,]\s*"value"\s*:\s*$/;

const indexOrEnd = (chunk: Uint8Array, byte: number, from: number): number => {
  const at = chunk.indexOf(byte, from);
  return at < 0 ? chunk.length : at;
};

export class JsonPageReader {
  /** The answer's bytes outside `value`'s elements, as slices of the chunks they came in. */
  private outside: Buffer[] = [];
  /** The bytes of the element being read. */
  private element: Buffer[] = [];
  private readonly rows: unknown[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside the top-level `value` array; `taken`: it was (one array only is taken apart). */
  private inValue = false;
  private taken = false;
  private inElement = false;

  /** Takes the next chunk of the answer. */
  push(chunk: Buffer): void {
    const n = chunk.length;
    // Where the bytes being gathered (outside, or the element) start in this chunk; -1: none are.
    let from = this.inValue && !this.inElement ? -1 : 0;
    let backslash = -1;
    for (let i = 0; i < n; i += 1) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        // Most of an answer is string contents: jump to the next quote or backslash.
        if (backslash < i) backslash = indexOrEnd(chunk, BACKSLASH, i);
        const quote = indexOrEnd(chunk, QUOTE, i);
        if (backslash < quote) {
          i = backslash;
          this.escaped = true;
        } else {
          i = quote;
          if (quote < n) this.inString = false;
        }
        continue;
      }
      const b = chunk[i]!;
      if (this.inValue && this.depth === 2 && !this.inElement) {
        if (isSpace(b) || b === COMMA) continue;
        if (b !== CLOSE_ARRAY) {
          // An element starts (a row's `{`, or a string, number, literal).
          this.inElement = true;
          from = i;
        }
      }
      if (b === QUOTE) {
        this.inString = true;
      } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        this.depth += 1;
        if (this.depth === 2 && b === OPEN_ARRAY && !this.taken && this.namesValue(chunk, from, i)) {
          // The `[` stays outside (`"value":[]`); the elements are read on their own.
          this.outside.push(chunk.subarray(from, i + 1));
          this.inValue = this.taken = true;
          from = -1;
        }
      } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        this.depth -= 1;
        if (this.inValue && this.depth === 1) {
          // `value` ends; an element not ended by a bracket of its own (a number, a literal) ends here.
          if (this.inElement) this.endElement(chunk, from, i);
          this.inValue = false;
          from = i;
        } else if (this.inElement && this.depth === 2) {
          this.endElement(chunk, from, i + 1);
          from = -1;
        }
      } else if (b === COMMA && this.inElement && this.inValue && this.depth === 2) {
        this.endElement(chunk, from, i);
        from = -1;
      }
    }
    if (from >= 0 && from < n) (this.inElement ? this.element : this.outside).push(chunk.subarray(from));
  }

  /** The answer, parsed (module comment). */
  end(): unknown {
    const text = Buffer.concat(this.outside).toString('utf8').replace(/^\uFEFF/, '');
    this.outside = [];
    if (!this.taken) {
      if (!text) return '';
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }
    if (this.inValue || this.inElement || this.depth !== 0) throw new SyntaxError('The JSON answer ended before its value array did.');
    const body = JSON.parse(text) as { value: unknown[] };
    body.value = this.rows;
    return body;
  }

  /** Whether the text gathered outside so far, up to `at` in `chunk`, ends with a `"value":` key. */
  private namesValue(chunk: Buffer, from: number, at: number): boolean {
    const before = Buffer.concat([...this.outside, chunk.subarray(from, at)]);
    return VALUE_KEY.test(before.subarray(Math.max(0, before.length - 64)).toString('latin1'));
  }

  private endElement(chunk: Buffer, from: number, to: number): void {
    this.element.push(chunk.subarray(Math.max(0, from), to));
    const bytes = this.element.length === 1 ? this.element[0]! : Buffer.concat(this.element);
    this.element = [];
    this.inElement = false;
    this.rows.push(JSON.parse(bytes.toString('utf8')) as unknown);
  }
}

/** A whole answer read from its chunks, as {@link JsonPageReader} reads it. */
export async function readJsonAnswer(chunks: AsyncIterable<Buffer | string>): Promise<unknown> {
  const reader = new JsonPageReader();
  for await (const chunk of chunks) reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return reader.end();
}
