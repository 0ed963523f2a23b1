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

/** Records whose cell count differs from the header's (empty rows aside): rows no cell of which can be matched. */
const misshapen = (rows: readonly string[][]): number => rows.slice(1).filter((cells) => !isEmptyRecord(cells) && cells.length !== rows[0]!.length).length;

const parseWith = (text: string, delimiter: Delimiter, anyLineEnd: boolean): string[][] =>
  parse(text, {
    bom: true,
    delimiter,
    // csv-parse takes the first line's end as every record's; `anyLineEnd` ends a record at CRLF, LF or CR.
    ...(anyLineEnd ? { record_delimiter: ['\r\n', '\n', '\r'] } : {}),
    relax_column_count: true,
    // Empty lines are kept so that row numbers match the spreadsheet and each gets its results row.
    skip_empty_lines: false,
  }) as string[][];

const orUndefined = <T>(read: () => T): T | undefined => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

const rethrow = (error: unknown): never => {
  throw error;
};

/**
 * Parses the whole text. Throws csv-parse's error (with its line number) on malformed quoting. Records end
 * as the first line does; a file whose rows then do not fit its header is read again ending records at any
 * line end, and that reading is kept when more rows fit (or when the first reading fails on a quote): an exported CRLF file with rows an editor appended
 * with LF (until 2026-12-06 two such rows read as one of 69 cells), while a CRLF file whose cells hold an
 * unquoted LF (csv-stringify writes them so) keeps those cells whole.
 */
export function readCsv(text: string): RawFile {
  const delimiter = detectDelimiter(text);
  let rows: string[][];
  try {
    rows = parseWith(text, delimiter, false);
  } catch (error) {
    // A quoted last cell followed by the other line end reads as a bad closing quote at the first line's end.
    rows = orUndefined(() => parseWith(text, delimiter, true)) ?? rethrow(error);
  }
  const wrong = misshapen(rows);
  const atAnyEnd = wrong > 0 ? orUndefined(() => parseWith(text, delimiter, true)) : undefined;
  if (atAnyEnd && misshapen(atAnyEnd) < wrong) rows = atAnyEnd;
  const [header = [], ...body] = rows;
  const records: RawRecord[] = body.map((cells, i) => ({ row: i + 2, cells, empty: isEmptyRecord(cells) }));
  // Blank lines after the last record are the end of the file, not records (editors and Excel add them).
  while (records.at(-1)?.empty) records.pop();
  return { delimiter, header, records };
}
