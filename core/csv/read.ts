/**
 * Reading a CSV file as real spreadsheets write it: a UTF-8 byte order mark (Excel's "CSV UTF-8"), CRLF
 * or LF line ends (mixed in one file too), quoted cells that span lines (notes), a semicolon instead of a comma where the
 * regional list separator is `;` (European Excel), and empty rows at the end. Pure: text in, records out.
 */
import { parse } from 'csv-parse/sync';

export type Delimiter = ',' | ';' | '\t';

export interface RawRecord {
  /** Spreadsheet row number: the header is row 1. */
  row: number;
  cells: string[];
  /** Every cell is blank: reported as an empty row, never dropped (later rows would shift). */
  empty: boolean;
}

export interface RawFile {
  delimiter: Delimiter;
  header: string[];
  records: RawRecord[];
}

const BOM = '\uFEFF';

/**
 * The delimiter is the one of `,`, `;` and tab that occurs most often, outside quotes, in the header
 * line: the header has one cell per column, so the real delimiter occurs there 30+ times.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text.startsWith(BOM) ? text.slice(1) : text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as Delimiter] += 1;
  }
  return (Object.keys(counts) as Delimiter[]).reduce((best, d) => (counts[d] > counts[best] ? d : best), ',');
}

const isEmptyRecord = (cells: readonly string[]): boolean => cells.every((cell) => cell.trim() === '');

/** Parses the whole text. Throws csv-parse's error (with its line number) on malformed quoting. */
export function readCsv(text: string): RawFile {
  const delimiter = detectDelimiter(text);
  const rows = parse(text, {
    bom: true,
    delimiter,
    // Every line end, whatever the first line used: csv-parse otherwise takes the first line's as the only
    // one, and an exported CRLF file with rows appended by an editor (LF) read those rows as one.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    // Empty lines are kept so that row numbers match the spreadsheet and each gets its results row.
    skip_empty_lines: false,
  }) as string[][];
  const [header = [], ...body] = rows;
  const records: RawRecord[] = body.map((cells, i) => ({ row: i + 2, cells, empty: isEmptyRecord(cells) }));
  // Blank lines after the last record are the end of the file, not records (editors and Excel add them).
  while (records.at(-1)?.empty) records.pop();
  return { delimiter, header, records };
}
