/**
 * A bulk CSV file → rows of parsed cells. Every cell of every documented column is read with its
 * column's parser; a cell that does not parse becomes a {@link RowError} naming the row and column,
 * never a silent default. Building referrals from the cells is build.ts's job.
 *
 * Cells are trimmed (spreadsheets pad them; surrounding spaces are not significant), then the
 * apostrophe that keeps a spreadsheet from running a formula is removed (formula.ts). A cell that merely
 * looks like a formula (`=`, `+`, `-`, `@` first) is ordinary text in Partner Center and is kept as text;
 * the danger is on export, where every cell is neutralised (formula.ts, writer.ts).
 *
 * Row-level contract: every record of the file becomes one ParsedRow, in order, with its spreadsheet row
 * number; an empty record is `empty` (reported, nothing created); a record whose cell count differs
 * from the header's is refused naming both counts, and its cells are not read (they are misaligned, so
 * any further error would describe the wrong column). All other faults of a row are listed.
 */
import type { Contact } from '../model/index.js';
import type { CellContext } from './cells.js';
import type { ColumnSpec } from './columns.js';
import { CellError, type RowError } from './errors.js';
import type { CsvSolution, FamilySpec } from './families.js';
import { firstInvalidByte } from './decode.js';
import { unneutralise } from './formula.js';
import { characterCount, TEXT_LIMITS } from './limits.js';
import { canonicalName, matchHeader, type HeaderInfo } from './headers.js';
import { readCsv, type Delimiter } from './read.js';
import { leadingZeroWarnings } from './leading-zeros.js';

export interface Cell<T> {
  /** The cell's text after trimming and removing a formula-guard apostrophe; '' when blank. */
  text: string;
  /** The parsed value; undefined when the cell is blank or did not parse. */
  value?: T;
}

export interface FamilyCell<T> extends Cell<T> {
  column: string;
  n: number;
}

export interface ParsedRow {
  row: number;
  /** `data` unless every cell is blank (`empty`) or the cell count differs from the header's (`misaligned`). */
  shape: 'data' | 'empty' | 'misaligned';
  /** The cells as read, aligned with the file's header (for the results file). */
  raw: string[];
  /** Documented columns present in the file. */
  cells: Map<ColumnSpec, Cell<unknown>>;
  /** `Solution N` columns present in the file, by N. */
  solutions: FamilyCell<CsvSolution>[];
  /** `Team member N` columns present in the file, by N. */
  team: FamilyCell<Contact>[];
  /** Cell format problems. */
  errors: RowError[];
}

export interface ParsedFile {
  delimiter: Delimiter;
  header: string[];
  headerInfo: HeaderInfo;
  rows: ParsedRow[];
  /** Problems that stop the whole file (malformed CSV, duplicate columns). */
  fileErrors: string[];
  /** Problems that do not (unknown columns, which are reported and ignored). */
  fileWarnings: string[];
}

export function cellOf<T>(row: ParsedRow, spec: ColumnSpec<T>): Cell<T> | undefined {
  return row.cells.get(spec) as Cell<T> | undefined;
}

interface CellRead<T> {
  cell: Cell<T>;
  error?: RowError;
}

/**
 * Text no cell may carry, whatever its column: bytes that were not UTF-8 (decode.ts) and U+FFFD, the
 * mark of an earlier lossy conversion; storing either would corrupt the deal silently.
 */
function encodingFault(raw: string): { code: string; message: string } | undefined {
  const invalid = firstInvalidByte(raw);
  if (invalid) {
    const hex = invalid.byte.toString(16).toUpperCase().padStart(2, '0');
    return { code: 'csv.invalid_utf8', message: `byte ${invalid.position} of the cell (0x${hex}) is not valid UTF-8; save the file as "CSV UTF-8" and upload it again` };
  }
  const replacement = [...raw].indexOf('\uFFFD');
  if (replacement >= 0) {
    return { code: 'csv.replacement_character', message: `character ${replacement + 1} of the cell is U+FFFD (a character lost in an earlier conversion); correct the text and upload it again` };
  }
  return undefined;
}

function readCell<T>(raw: string, row: number, column: string, parse: (text: string, ctx: CellContext) => T, ctx: CellContext, readOnly: boolean): CellRead<T> {
  const trimmed = raw.trim();
  const text = unneutralise(trimmed);
  const fail = (code: string, message: string): CellRead<T> => ({ cell: { text }, error: { row, column, code, message, severity: 'error' } });
  const encoding = encodingFault(text);
  if (encoding) return fail(encoding.code, encoding.message);
  if (text === '' || readOnly) return { cell: { text } };
  const limit = TEXT_LIMITS.get(column);
  const length = characterCount(text);
  if (limit && length > limit.max) return fail('csv.too_long', `the text is ${length} characters long; "${column}" takes at most ${limit.max} (${limit.source})`);
  try {
    return { cell: { text, value: parse(text, ctx) } };
  } catch (e) {
    if (e instanceof CellError) return fail(e.code, e.message);
    throw e;
  }
}

function readFamily<T>(family: FamilySpec<T>, n: number, raw: string, row: number, ctx: CellContext, errors: RowError[]): FamilyCell<T> {
  const column = `${family.prefix} ${n}`;
  const { cell, error } = readCell(raw, row, column, (t, c) => family.parse(t, c), ctx, false);
  if (error) errors.push(error);
  if (n > family.max && cell.text !== '') {
    const code = family.collection === 'solutions' ? 'limits.solutions' : 'limits.team';
    errors.push({ row, column, code, message: `a deal can have at most ${family.max} ${family.collection === 'solutions' ? 'solutions' : 'team members'} ("You can add up to ${family.max}")`, severity: 'error' });
    return { column, n, text: cell.text };
  }
  return { column, n, ...cell };
}

/**
 * Why the text cannot be a CSV file at all, before any header is looked for: an empty file, and UTF-16
 * (Excel's "Unicode Text", the one save option that says Unicode), whose every other byte is NUL. Without
 * this, both were reported as a header row without the documented names, the UTF-16 one with each
 * header listed as an unknown column spelled with NULs between its letters.
 */
function unreadableText(text: string): string | undefined {
  if (text.replace(/^\uFEFF/, '').trim() === '') return 'The file is empty: it has no header row and no records.';
  const headerLine = text.slice(0, (text.indexOf('\n') + 1 || text.length + 1) - 1);
  if (headerLine.includes('\u0000')) return 'The file is not UTF-8 text: it holds NUL characters, as UTF-16 ("Unicode Text" in Excel) does. Save it as "CSV UTF-8 (Comma delimited)" and upload it again.';
  return undefined;
}

const refusedWhole = (reason: string): ParsedFile => ({ delimiter: ',', header: [], headerInfo: matchHeader([]), rows: [], fileErrors: [reason], fileWarnings: [] });

export function parseCsv(text: string): ParsedFile {
  const unreadable = unreadableText(text);
  if (unreadable) return refusedWhole(unreadable);
  let file;
  try {
    file = readCsv(text);
  } catch (e) {
    return refusedWhole(`The file is not valid CSV: ${(e as Error).message}`);
  }
  const headerInfo = matchHeader(file.header);
  const fileErrors: string[] = [];
  const fileWarnings: string[] = [];
  if (headerInfo.byName.size === 0) fileErrors.push('The first row has none of the documented column names (Deal Name, Customer Name, …); is it the header row?');
  if (headerInfo.duplicates.length > 0) fileErrors.push(`These columns appear more than once, so the file is ambiguous: ${headerInfo.duplicates.map((d) => `"${d}"`).join(', ')}`);
  if (headerInfo.unknown.length > 0) fileWarnings.push(`Unknown column(s) ignored: ${headerInfo.unknown.map((u) => `"${u}"`).join(', ')}`);

  const ctx: CellContext = { decimalComma: file.delimiter === ';' };
  const rows = file.records.map((record): ParsedRow => {
    const shape = record.empty ? 'empty' : record.cells.length !== file.header.length ? 'misaligned' : 'data';
    const parsed: ParsedRow = { row: record.row, shape, raw: record.cells, cells: new Map(), solutions: [], team: [], errors: [] };
    if (shape === 'empty') return parsed;
    if (shape === 'misaligned') {
      const message = `the row has ${record.cells.length} cells but the header has ${file.header.length}; a cell was added or left out, so no cell can be matched to its column. Correct the row (check for an unquoted delimiter) and upload it again`;
      parsed.errors.push({ row: record.row, code: 'csv.cell_count', message, severity: 'error' });
      return parsed;
    }
    for (const match of headerInfo.matches) {
      if (match.kind === 'unknown' || headerInfo.byName.get(canonicalName(match)) !== match.index) continue;
      const raw = record.cells[match.index] ?? '';
      if (match.kind === 'column') {
        const { cell, error } = readCell(raw, record.row, match.spec.name, (t, c) => match.spec.parse(t, c), ctx, match.spec.readOnly);
        parsed.cells.set(match.spec, cell);
        if (error) parsed.errors.push(error);
      } else if (match.family.collection === 'solutions') {
        parsed.solutions.push(readFamily(match.family as FamilySpec<CsvSolution>, match.n, raw, record.row, ctx, parsed.errors));
      } else {
        parsed.team.push(readFamily(match.family as FamilySpec<Contact>, match.n, raw, record.row, ctx, parsed.errors));
      }
    }
    parsed.errors.push(...leadingZeroWarnings(parsed));
    parsed.solutions.sort((a, b) => a.n - b.n);
    parsed.team.sort((a, b) => a.n - b.n);
    return parsed;
  });
  return { delimiter: file.delimiter, header: file.header, headerInfo, rows, fileErrors, fileWarnings };
}
