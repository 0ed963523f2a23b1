/**
 * CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`,
 * a tab or a carriage return as a formula. Exported cells that could be read that way get a leading
 * apostrophe, which Excel shows as text; import removes exactly that apostrophe again, so a round trip
 * is lossless.
 *
 * The escape also applies to a value that already starts with apostrophes before such a character
 * (`'=x` is written `''=x`), otherwise the import could not tell our apostrophe from the data's. Leading
 * whitespace before a trigger is covered too, because import trims cells.
 *
 * No number the exporter writes is negative (values, prices, quantities and percentages are positive in
 * this format), so neutralising never turns a number into text.
 */

/** Optional apostrophes and whitespace, then a character a spreadsheet treats as the start of a formula. */
const FORMULA_START = /^['\s]*[=+\-@\t\r]/;

/** Export side: the cell as written to the file. */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Import side: removes the apostrophe {@link neutralise} added (or an admin typed to keep Excel off). */
export function unneutralise(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
