/**
 * Rule violations speak canonical field paths (`team[1].email`, `customer.country`); an admin reads
 * CSV columns. This maps one to the other, per row, because `team[1]` is the second team member the
 * row has, which is the column `Team member 2` only when no team column before it was left empty.
 */
import type { Violation } from '../rules/index.js';
import { COLUMNS } from './columns.js';
import type { RowError } from './errors.js';
import type { ParsedRow } from './parse.js';

/** Canonical path → documented column, from the column table's `fields`. */
const BY_FIELD = new Map<string, string>(COLUMNS.flatMap((c) => c.fields.map((f) => [f, c.name] as const)));

const ITEM = /^(solutions|team)\[(\d+)\]/;

/** The columns that held the row's items, in item order (blank columns hold none). */
function itemColumns(row: ParsedRow, collection: 'solutions' | 'team'): string[] {
  const cells = collection === 'solutions' ? row.solutions : row.team;
  return cells.filter((c) => c.text !== '').map((c) => c.column);
}

/** The CSV column for a canonical path in this row, or undefined when no column carries it. */
export function columnForField(field: string, row?: ParsedRow): string | undefined {
  const item = ITEM.exec(field);
  if (item) {
    const collection = item[1] as 'solutions' | 'team';
    const index = Number(item[2]);
    const prefix = collection === 'solutions' ? 'Solution' : 'Team member';
    return (row ? itemColumns(row, collection)[index] : undefined) ?? `${prefix} ${index + 1}`;
  }
  if (field === 'solutions') return 'Solution 1';
  if (field === 'team') return 'Team member 1';
  return BY_FIELD.get(field) ?? BY_FIELD.get(field.split('.')[0] ?? '');
}

export function violationToRowError(v: Violation, row: ParsedRow): RowError {
  const column = columnForField(v.field, row);
  return { row: row.row, ...(column ? { column } : { field: v.field }), code: v.code, message: v.message, severity: v.severity };
}

/**
 * Rule violations for a row, minus those on a column that already has an error of its own: a cell that
 * did not parse leaves its field empty, and "X is required" on top of "X is not a date" is noise.
 */
export function ruleErrors(violations: readonly Violation[], row: ParsedRow, earlier: readonly RowError[]): RowError[] {
  // A column already refused says why once; a warning on it (csv.leading_zeros) does not hide a rule's refusal.
  const taken = new Set(earlier.filter((e) => e.severity === 'error').map((e) => e.column ?? e.field));
  return violations.map((v) => violationToRowError(v, row)).filter((e) => !taken.has(e.column ?? e.field));
}
