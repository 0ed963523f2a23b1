/**
 * Numbers a spreadsheet shortened. Excel opens a CSV file's all-digit cells as numbers and saves them
 * without their leading zeros: a Boston ZIP code 02108 comes back as 2108, Microsoft's own D-U-N-S number
 * 081466849 as 81466849 (the bulk CSV seed's sample is that shortened value). Until 2026-12-06 the import
 * sent such values to Partner Center without a word.
 *
 * A warning, not a refusal: the bulk CSV seed states no format for either column (its own D-U-N-S sample
 * has 8 digits, and rule `format.duns` asks for digits only), and the lost digits cannot be told for sure,
 * so they are never guessed: the admin is told the row, the column, the expected length and the likely
 * cause, and corrects the cell. Pure.
 */
import { COUNTRY, DUNS, POSTAL_CODE } from './columns.js';
import type { RowError } from './errors.js';
import type { ParsedRow } from './parse.js';

const textOf = (row: ParsedRow, spec: typeof POSTAL_CODE): string => row.cells.get(spec)?.text ?? '';

/** A D-U-N-S number has nine digits (Dun & Bradstreet). */
const DUNS_DIGITS = 9;

/**
 * Countries whose postal codes are all digits of one length, some of them starting with 0 (so a
 * spreadsheet can shorten them), keyed by the ISO 3166-1 alpha-2 code the Customer Country column holds.
 */
const POSTAL_DIGITS: ReadonlyMap<string, number> = new Map([
  ['US', 5], ['DE', 5], ['FR', 5], ['IT', 5], ['ES', 5], ['MX', 5], ['FI', 5], ['NO', 4], ['AU', 4],
]);

const CAUSE = 'a spreadsheet drops leading zeros; format the column as text, type the value as the customer writes it and upload the row again';

function warning(row: ParsedRow, column: string, message: string): RowError {
  return { row: row.row, column, code: 'csv.leading_zeros', message, severity: 'warning' };
}

/** A shortened ZIP+4 ("2108-1234") is as short in its first part. */
function postalCodeWarning(row: ParsedRow): RowError | undefined {
  const postal = textOf(row, POSTAL_CODE);
  const country = textOf(row, COUNTRY).toUpperCase();
  const digits = POSTAL_DIGITS.get(country);
  const first = /^(\d+)(-\d{4})?$/.exec(postal)?.[1];
  if (digits === undefined || first === undefined || first.length >= digits) return undefined;
  return warning(row, POSTAL_CODE.name, `"${postal}" has ${first.length} digits; a postal code of ${country} has ${digits}: ${CAUSE}`);
}

function dunsWarning(row: ParsedRow): RowError | undefined {
  const duns = textOf(row, DUNS);
  const digits = duns.replace(/-/g, '');
  if (!/^\d+$/.test(digits) || digits.length >= DUNS_DIGITS) return undefined;
  return warning(row, DUNS.name, `"${duns}" has ${digits.length} digits; a D-U-N-S number has ${DUNS_DIGITS}: ${CAUSE}`);
}

/** The warnings for a data row's cells that look shortened by a spreadsheet. */
export function leadingZeroWarnings(row: ParsedRow): RowError[] {
  return [postalCodeWarning(row), dunsWarning(row)].filter((w): w is RowError => w !== undefined);
}
