/**
 * Reading an import file without holding more of it than can be processed. "If the file has more than
 * 1000 records, it cannot be processed" (bulk CSV seed), so nothing past the first record over the limit
 * is ever needed: the bytes are kept up to the end of that record and the rest is only counted, so the
 * refusal can say how many records the file has. Before this, the whole file was read into one string
 * and parsed: a 120 MB file took 1.9 GB of memory, and a file over V8's string limit could not be read.
 *
 * Records are counted on the raw bytes: `"`, CR and LF are ASCII and never part of a UTF-8 multi-byte
 * sequence, so a quote-aware line count is exact without decoding, across chunk boundaries too. A
 * record counts once it has a cell that is not blank, as in read.ts, where blank rows at the end of the
 * file are not records; so do blank rows between the kept records and the cut. Pure state machine
 * (`RecordCounter`) plus the stream that drives it.
 */
import { createReadStream } from 'node:fs';

/** Bytes a record made only of these has no value in any cell (read.ts's empty record). */
const BLANK_BYTES = new Set([0x2c, 0x3b, 0x09, 0x20, 0x22]); // , ; tab space "
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export class RecordCounter {
  /** Line number of the current record (the header is line 1). */
  private line = 1;
  private quoted = false;
  private afterCr = false;
  private hasData = false;
  /** The stop record ended at a CR: the cut falls after its LF, if the next byte is one. */
  private cutAtNext = false;
  /** Records up to and including the last one with data: the file's record count so far. */
  records = 0;

  /**
   * Feeds bytes; returns the offset just past the line end of the first record numbered `stopAfter` or
   * more that has data, if it ends in this chunk, else -1. A line ends outside quotes at CRLF, LF or a
   * lone CR.
   */
  feed(bytes: Uint8Array, stopAfter: number): number {
    let cut = -1;
    for (let i = 0; i < bytes.length; i += 1) {
      const b = bytes[i] as number;
      if (this.afterCr) {
        this.afterCr = false;
        if (this.cutAtNext) {
          cut = b === LF ? i + 1 : i;
          this.cutAtNext = false;
        }
        if (b === LF) continue;
      }
      if (b === QUOTE) this.quoted = !this.quoted;
      if (!this.quoted && (b === LF || b === CR)) {
        const reached = this.endLine();
        if (cut < 0 && stopAfter > 0 && reached >= stopAfter) {
          if (b === LF) cut = i + 1;
          else this.cutAtNext = true;
        }
        this.afterCr = b === CR;
      } else if (!BLANK_BYTES.has(b)) {
        this.hasData = true;
      }
    }
    // A CR as the chunk's last byte: whether an LF follows is known with the next chunk, which returns the
    // cut (0 or 1); a file that ends there is kept whole.
    return cut;
  }

  /** The end of the input: a last record without a line end counts too. */
  finish(): number {
    this.endLine();
    return this.records;
  }

  /** Ends the current line; returns its record number if it is a record with data, else 0. */
  private endLine(): number {
    const record = this.line - 1;
    const withData = record > 0 && this.hasData;
    if (withData) this.records = record;
    this.line += 1;
    this.hasData = false;
    return withData ? record : 0;
  }
}

export interface BoundedRead {
  /** The file's bytes, up to the end of record `maxRecords + 1` (all of them for a file within the limit). */
  bytes: Buffer;
  /** Records in the whole file, counted when the bytes were cut; undefined when they were not. */
  totalRecords?: number;
  /** The bytes to keep passed `maxBytes`: nothing is returned, and the file is read no further. */
  tooLarge?: true;
}

/**
 * Reads `path`, keeping its bytes only up to the first record over `maxRecords`, and counting the rest.
 * Records within the limit can still be any length (one runaway cell), so the bytes kept are bounded too:
 * past `maxBytes` the read stops and the file is reported too large.
 */
export async function readBounded(path: string, maxRecords: number, maxBytes: number): Promise<BoundedRead> {
  const counter = new RecordCounter();
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let cut = false;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    if (cut) {
      counter.feed(chunk, 0);
      continue;
    }
    const end = counter.feed(chunk, maxRecords + 1);
    const part = end >= 0 ? chunk.subarray(0, end) : chunk;
    keptBytes += part.length;
    if (keptBytes > maxBytes) return { bytes: Buffer.alloc(0), tooLarge: true };
    kept.push(part);
    cut = end >= 0;
  }
  const totalRecords = counter.finish();
  return { bytes: Buffer.concat(kept), ...(cut ? { totalRecords } : {}) };
}
