/** Helpers for CSV tests: building files from cells, capturing streamed output, splitting big files. */
import { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';

/** A CSV text from a header and rows of cells given by column name. */
export function csvText(header: readonly string[], rows: readonly Record<string, string>[], options: { delimiter?: string; eol?: string; bom?: boolean } = {}): string {
  const records = [header, ...rows.map((row) => header.map((h) => row[h] ?? ''))];
  return stringify(records, { delimiter: options.delimiter ?? ',', record_delimiter: options.eol === '\n' ? 'unix' : 'windows', bom: options.bom ?? false });
}

/** A Writable that keeps every chunk it is given, to see what was streamed and in how many writes. */
export class CapturingStream extends Writable {
  readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Splits a CSV text into files of at most `size` records each, header repeated (records, not lines). */
export function splitCsv(text: string, size: number): string[] {
  const [header, ...records] = parse(text, { bom: true, relax_column_count: true }) as string[][];
  const files: string[] = [];
  for (let i = 0; i < records.length; i += size) files.push(stringify([header as string[], ...records.slice(i, i + size)], { record_delimiter: 'windows' }));
  return files;
}

/** The records of a CSV text (BOM removed), for assertions. */
export function records(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}
