/**
 * A bulk CSV file → rows of parsed cells. Every cell of every documented column is read with its
 * column's parser; a cell that does not parse becomes a {@link RowError} naming the row and column,
 * never a silent default. Building referrals from the cells is build.ts's job.
 *
 * Cells are trimmed (spreadsheets pad them; surrounding spaces are not significant), then the
 * apostrophe that keeps a spreadsheet from running a formula is removed (formula.ts). An unescaped cell
 * that would run as a formula is refused.
 */
import type { Contact } from '../model/index.js';
import type { CellContext } from './cells.js';
import type { ColumnSpec } from './columns.js';
import { CellError, type RowError } from './errors.js';
import type { CsvSolution, FamilySpec } from './families.js';
import { looksLikeFormula, unneutralise } from './formula.js';
import { canonicalName, matchHeader, type HeaderInfo } from './headers.js';
import { readCsv, type Delimiter } from './read.js';

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

function readCell<T>(raw: string, row: number, column: string, parse: (text: string, ctx: CellContext) => T, ctx: CellContext, readOnly: boolean): CellRead<T> {
  const trimmed = raw.trim();
  const text = unneutralise(trimmed);
  if (text === '' || readOnly) return { cell: { text } };
  const fail = (code: string, message: string): CellRead<T> => ({ cell: { text }, error: { row, column, code, message, severity: 'error' } });
  if (text === trimmed && looksLikeFormula(trimmed)) {
    return fail('csv.formula', `"${trimmed}" would run as a spreadsheet formula; Partner Center data must not carry formulas (OWASP CSV injection). Prefix the cell with ' if the text is meant literally`);
  }
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

export function parseCsv(text: string): ParsedFile {
  let file;
  try {
    file = readCsv(text);
  } catch (e) {
    return { delimiter: ',', header: [], headerInfo: matchHeader([]), rows: [], fileErrors: [`The file is not valid CSV: ${(e as Error).message}`], fileWarnings: [] };
  }
  const headerInfo = matchHeader(file.header);
  const fileErrors: string[] = [];
  const fileWarnings: string[] = [];
  if (headerInfo.byName.size === 0) fileErrors.push('The first row has none of the documented column names (Deal Name, Customer Name, …); is it the header row?');
  if (headerInfo.duplicates.length > 0) fileErrors.push(`These columns appear more than once, so the file is ambiguous: ${headerInfo.duplicates.map((d) => `"${d}"`).join(', ')}`);
  if (headerInfo.unknown.length > 0) fileWarnings.push(`Unknown column(s) ignored: ${headerInfo.unknown.map((u) => `"${u}"`).join(', ')}`);

  const ctx: CellContext = { decimalComma: file.delimiter === ';' };
  const rows = file.records.map((record): ParsedRow => {
    const parsed: ParsedRow = { row: record.row, raw: record.cells, cells: new Map(), solutions: [], team: [], errors: [] };
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
    parsed.solutions.sort((a, b) => a.n - b.n);
    parsed.team.sort((a, b) => a.n - b.n);
    return parsed;
  });
  return { delimiter: file.delimiter, header: file.header, headerInfo, rows, fileErrors, fileWarnings };
}
