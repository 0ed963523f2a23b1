/**
 * Reads a `$batch` answer (multipart/mixed) as its bytes arrive (pure, no I/O). Why (issue 13, peak memory):
 * a first run's first `$batch` brings the plain read's first page (5,000 expanded rows, 17 MB of JSON in the
 * sandbox) with four tracking pages: about 20 MB. Read whole (axios), the engine held the answer's socket
 * chunks, their concatenation and its text at once, outside the heap and in it, before a part was read.
 *
 * Here each part's bytes are kept apart as the part arrives, as slices of the chunks they came in: no copy of
 * the answer is made, and the answer is never one text. A part's JSON is parsed when the caller first reads its
 * body: a large one row by row (json-page-reader.ts), its bytes let go as they are parsed; a small one whole
 * ({@link WHOLE_PART_BYTES}). Parsing when read, not when the
 * part completes: a caller that maps one part at a time (hydrate.ts, twenty parts of 250 expanded rows) holds
 * one part's rows, not all parts' (rows parsed take about 1.7 times their JSON's bytes). A kept, unread part
 * holds its own bytes only (with the rest of the socket chunks they share).
 *
 * The entries are what `parseBatchResponse` (batch-format.ts) gives for the whole text: the same boundaries,
 * parts, statuses, headers and bodies. A change set's answer (writes: small) is gathered and read by it.
 */
import { entryOf, head, type EntryResponse, type PartResponse } from './batch-format.js';
import { JsonPageReader } from './json-page-reader.js';

const EMPTY = Buffer.alloc(0);
const DASH = 0x2d;
/** How much of a part is looked at for its headers; a part whose headers are longer is read as text. */
const HEAD_VIEW = 16 * 1024;
const BLANK_LINE = /\r?\n\r?\n/g;

/** The first `n` bytes of `slices` (fewer when they hold fewer), as one buffer. */
function firstBytes(slices: readonly Buffer[], n: number): Buffer {
  const out: Buffer[] = [];
  let length = 0;
  for (const slice of slices) {
    if (length >= n) break;
    out.push(slice.subarray(0, n - length));
    length += out[out.length - 1]!.length;
  }
  return out.length === 1 ? out[0]! : Buffer.concat(out);
}

/** `slices` without their first `n` bytes. */
function dropBytes(slices: readonly Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = n;
  for (const slice of slices) {
    if (skip >= slice.length) {
      skip -= slice.length;
      continue;
    }
    out.push(skip ? slice.subarray(skip) : slice);
    skip = 0;
  }
  return out;
}

/**
 * A part up to this size is decoded and parsed whole: its copy costs little memory (a hydrating read's part of
 * 250 expanded rows is under 1 MB), and one `JSON.parse` costs less CPU than finding each row's end in
 * JavaScript (a 9 MB answer of 20 such parts, medians of three 9-round microbenchmarks: read as one text as
 * before 34-37 ms, every part row by row 46-50 ms, with this threshold 41-46 ms). A larger part (the plain
 * read's first page: 17 MB) is parsed row by row, so it is never one buffer or one text.
 */
export const WHOLE_PART_BYTES = 2 * 1024 * 1024;

/** A body's bytes parsed as `parseBatchResponse` parses a body's text; each slice let go once read. */
function parseSlices(slices: Buffer[], wholeUpTo: number): unknown {
  if (slices.reduce((n, slice) => n + slice.length, 0) <= wholeUpTo) return parseText(Buffer.concat(slices).toString('utf8').trim());
  const reader = new JsonPageReader();
  for (let i = 0; i < slices.length; i += 1) {
    reader.push(slices[i]!);
    slices[i] = EMPTY;
  }
  const body = reader.end();
  return typeof body === 'string' ? parseText(body.trim()) : body;
}

/** A body's text as `parseBatchResponse` reads it: JSON, else the text itself; nothing for an empty one. */
function parseText(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return text;
  }
}

/**
 * An operation's answer whose body is parsed when first read. A function of its own, so that the getter's
 * closure holds this part's bytes only.
 */
function lazyPart(status: number, headers: Record<string, string>, contentId: string | undefined, body: Buffer[], wholeUpTo: number): PartResponse {
  let slices: Buffer[] | undefined = body;
  let parsed: { body: unknown } | undefined;
  return {
    status,
    headers,
    get body() {
      if (!parsed) {
        parsed = { body: parseSlices(slices!, wholeUpTo) };
        slices = undefined;
      }
      return parsed.body;
    },
    ...(contentId ? { contentId } : {}),
  };
}

/** A part read as text, by `entryOf`: a change set, or a part whose headers are not in its first bytes. */
function entryOfText(slices: readonly Buffer[]): EntryResponse {
  const text = Buffer.concat(slices).toString('utf8');
  const start = text.startsWith('\r\n') ? 2 : text.startsWith('\n') ? 1 : 0;
  const end = text.endsWith('\r\n') ? text.length - 2 : text.endsWith('\n') ? text.length - 1 : text.length;
  return entryOf(text.slice(start, Math.max(start, end)));
}

/** One part (the bytes between two boundaries): its headers read from its first bytes, its body kept as bytes. */
function entryOfSlices(slices: readonly Buffer[], wholeUpTo: number): EntryResponse {
  // Headers are ASCII: as latin1, a character is a byte, so an index in the text is one in the bytes.
  const text = firstBytes(slices, HEAD_VIEW).toString('latin1');
  const lead = text.startsWith('\r\n') ? 2 : text.startsWith('\n') ? 1 : 0;
  BLANK_LINE.lastIndex = lead;
  const outerEnd = BLANK_LINE.exec(text);
  const innerEnd = outerEnd ? BLANK_LINE.exec(text) : null;
  if (!outerEnd || !innerEnd) return entryOfText(slices);
  const outer = head(text.slice(lead, innerEnd.index));
  if (/multipart\/mixed/i.test(outer.headers['content-type'] ?? '')) return entryOfText(slices);
  const inner = head(outer.rest);
  const status = Number(/^HTTP\/1\.1\s+(\d{3})/.exec(inner.first)?.[1] ?? 0);
  return { kind: 'operation', response: lazyPart(status, inner.headers, outer.headers['content-id'], dropBytes(slices, innerEnd.index + innerEnd[0].length), wholeUpTo) };
}

export class BatchAnswerReader {
  private readonly delimiter: Buffer;
  /** The last bytes of what came, held back: a boundary may begin in them. */
  private rest: Buffer = EMPTY;
  /** The bytes of the part being read; undefined before the first boundary (the preamble is not kept). */
  private part: Buffer[] | undefined;
  /** The closing boundary came: what follows is not read. */
  private closed = false;
  private readonly entries: EntryResponse[] = [];

  /** `wholeUpTo`: the largest part parsed whole ({@link WHOLE_PART_BYTES}); tests lower it to read every part row by row. */
  constructor(boundary: string, private readonly wholeUpTo = WHOLE_PART_BYTES) {
    this.delimiter = Buffer.from(`--${boundary}`, 'latin1');
  }

  /** Takes the next chunk of the answer. */
  push(chunk: Buffer): void {
    if (this.closed) return;
    const bytes = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let from = 0;
    for (let at = bytes.indexOf(this.delimiter); at >= 0 && !this.closed; at = bytes.indexOf(this.delimiter, from)) {
      this.part?.push(bytes.subarray(from, at));
      this.finishPart();
      this.part = [];
      from = at + this.delimiter.length;
    }
    if (this.closed) {
      this.rest = EMPTY;
      return;
    }
    const keep = Math.max(from, bytes.length - (this.delimiter.length - 1));
    if (keep > from) this.part?.push(bytes.subarray(from, keep));
    this.rest = bytes.subarray(keep);
  }

  /** The answer's entries, in order (module comment). */
  end(): EntryResponse[] {
    if (!this.closed && this.part) {
      this.part.push(this.rest);
      this.finishPart();
    }
    this.rest = EMPTY;
    this.part = undefined;
    return this.entries;
  }

  private finishPart(): void {
    const slices = this.part;
    this.part = undefined;
    if (!slices) return;
    const start = firstBytes(slices, 2);
    if (start[0] === DASH && start[1] === DASH) {
      this.closed = true;
      return;
    }
    this.entries.push(entryOfSlices(slices, this.wholeUpTo));
  }
}

/** A whole `$batch` answer read from its chunks, as {@link BatchAnswerReader} reads it. */
export async function readBatchAnswer(chunks: AsyncIterable<Buffer | string>, boundary: string): Promise<EntryResponse[]> {
  const reader = new BatchAnswerReader(boundary);
  for await (const chunk of chunks) reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return reader.end();
}
