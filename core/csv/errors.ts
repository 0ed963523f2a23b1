/**
 * How the CSV code reports a problem: always the record (spreadsheet row), the field (the CSV column,
 * or the canonical field when no column carries it) and the rule (a stable code), so that an admin can
 * find the cell and a program can branch on the code.
 *
 * Row numbers are spreadsheet row numbers: the header is row 1 and the first record row 2, counting
 * empty rows, so "Row 7" is the row Excel shows as 7 even when a note above it spans several lines.
 */

export interface RowError {
  /** Spreadsheet row number (header = 1). */
  row: number;
  /** The CSV column as the file spells it, when a column carries the field. */
  column?: string;
  /** The canonical field path, when no CSV column carries it (e.g. `location`). */
  field?: string;
  /** `csv.*` for format problems found while reading a cell, a rule code from core/rules otherwise. */
  code: string;
  /** What is wrong and how to fix it, without the row/column prefix. */
  message: string;
  severity: 'error' | 'warning';
}

/** Thrown by a cell parser; the caller adds the row and column. */
export class CellError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'CellError';
  }
}

function where(e: Pick<RowError, 'column' | 'field'>): string {
  if (e.column) return `column "${e.column}": `;
  if (e.field) return `field "${e.field}" (not a CSV column): `;
  return '';
}

/** `Row 7, column "Estimated Close Date": "13/01/2020" is not a date in MM/DD/YYYY (UTC) [csv.date]` */
export function describeRowError(e: RowError): string {
  return `Row ${e.row}${e.column || e.field ? ', ' : ': '}${where(e)}${e.message} [${e.code}]`;
}

/**
 * The text for the row's own Errors cell: no row number (the error sits on its row) and no semicolons
 * inside one error, because "If there are multiple errors, all of them will be listed separated by a
 * semicolon" (bulk CSV seed, Errors column).
 */
export function errorsCell(errors: readonly RowError[]): string {
  return errors.map((e) => `${e.severity === 'warning' ? 'Warning: ' : ''}${where(e)}${e.message} [${e.code}]`.replace(/;/g, ',')).join('; ');
}

export const isBlocking = (errors: readonly RowError[]): boolean => errors.some((e) => e.severity === 'error');

/**
 * A row a stopped import (Ctrl-C, SIGTERM) did not send. Uploading the same file again sends it: what the
 * stopped run created is found by its key (idempotency.ts) or its referral ID (to-crm.ts), not made twice.
 */
export function interruptedError(row: number, made: string): RowError {
  return { row, code: 'csv.interrupted', message: `not sent: the import was stopped before this row; upload the same file again (${made} it already created are found, not created twice)`, severity: 'error' };
}
