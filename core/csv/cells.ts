/**
 * Cell formats of the bulk CSV file, each as a parse/format pair. Parsers take the trimmed, unescaped,
 * non-empty text of one cell and throw {@link CellError} with a message that says what was expected;
 * formatters return plain text (neutralisation against formulas happens when the row is written).
 *
 * What is accepted, and why:
 * - Dates: `MM/DD/YYYY`, also without leading zeros (`1/30/2020`, the seed's sample), always a UTC
 *   calendar date ("in the format MM/DD/YYYY … The date should be in UTC timezone"). Day-first dates,
 *   ISO dates and two-digit years are refused: `03/04/2026` would be ambiguous if both were read.
 *   Written as `MM/DD/YYYY`.
 * - Numbers: digits with an optional `.` and decimals (`12563`, `12563.50`), no more than a number keeps
 *   exactly (about 15 significant digits), written back in plain digits. Thousands separators are
 *   refused (`12,563` is 12563 in Redmond and 12.563 in Berlin); in a semicolon-delimited file, which is
 *   what a European Excel writes, a `,` followed by one or two digits is read as the decimal comma
 *   (`12563,5`). A leading `-` is read so that the rules can say the value must be positive.
 * - Yes/No cells: `Yes` or `No`, any case.
 * - Codes: the seed's numbers (help 1–6, reason 1–8), sales stage percentages (10, 20, 40, 60, 80, 100,
 *   with or without `%`), and status/substatus words, through the model's coded enums.
 */
import { CellError } from './errors.js';

export interface CellContext {
  /** The file is semicolon-delimited, so a decimal comma is allowed in numbers. */
  decimalComma: boolean;
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export function parseUsDate(text: string): string {
  const m = US_DATE.exec(text);
  const problem = `"${text}" is not a date in MM/DD/YYYY (UTC)`;
  if (!m) throw new CellError('csv.date', problem);
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12) throw new CellError('csv.date', `${problem}: there is no month ${month} (day first?)`);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new CellError('csv.date', `${problem}: month ${month} of ${year} has no day ${day}`);
  }
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` → `MM/DD/YYYY`. */
export function formatUsDate(iso: string | undefined): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[2]}/${m[3]}/${m[1]}` : (iso ?? '');
}

export function parseNumber(text: string, ctx: CellContext): number {
  const plain = /^-?\d+(\.\d+)?$/.test(text);
  const decimalComma = ctx.decimalComma && /^-?\d+,\d{1,2}$/.test(text);
  if (!plain && !decimalComma) {
    const hint = /[,.' ]\d{3}\b/.test(text) ? ' without thousands separators' : '';
    throw new CellError('csv.number', `"${text}" is not a number: write digits${hint} with an optional "." for decimals, e.g. 12563.50`);
  }
  const decimal = text.replace(',', '.');
  const value = Number(decimal);
  // A number keeps about 15 significant digits: refuse what it would silently round rather than store
  // (and sync to the CRM) another value than the one the admin typed.
  const stored = plainDecimal(Math.abs(value));
  if (stored !== canonicalDecimal(decimal.replace(/^-/, ''))) {
    throw new CellError('csv.number', `"${text}" has more digits than can be kept exactly: it would be stored as ${value < 0 ? '-' : ''}${stored}; write at most 15 significant digits`);
  }
  return value;
}

/** Unsigned decimal text without leading zeros, trailing fractional zeros or a trailing point: `007.50` → `7.5`. */
function canonicalDecimal(text: string): string {
  const [whole = '', fraction = ''] = text.split('.');
  const digits = whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  return decimals === '' ? digits : `${digits}.${decimals}`;
}

/**
 * The number in plain digits, never in exponent notation (`1e+23`, `1e-7`), which spreadsheets and this
 * importer do not read as a number: an export must import again as it was written.
 */
function plainDecimal(value: number): string {
  const text = String(value);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign = '', lead = '', rest = '', exponent = '0'] = m;
  const digits = lead + rest;
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function formatNumber(value: number | undefined): string {
  return value === undefined ? '' : plainDecimal(value);
}

export function parseYesNo(text: string): boolean {
  const t = text.toLowerCase();
  if (t === 'yes') return true;
  if (t === 'no') return false;
  throw new CellError('csv.yes_no', `"${text}" is not Yes or No`);
}

export const formatYesNo = (value: boolean): string => (value ? 'Yes' : 'No');

/** Splits a compound cell (`Solution N`, `Team member N`) on commas and trims each part. */
export function splitParts(text: string): string[] {
  return text.split(',').map((part) => part.trim());
}

/** Joins parts, dropping trailing empty ones (`SOL-1, USD` rather than `SOL-1, USD, , `). */
export function joinParts(parts: readonly string[]): string {
  const kept = [...parts];
  while (kept.length > 1 && kept[kept.length - 1] === '') kept.pop();
  return kept.join(', ');
}
