/**
 * How every CSV file the connector writes is encoded (exports and import results): UTF-8 with a BOM,
 * CRLF records, and RFC 4180 quoting of every field that contains the delimiter, a quote, CR or LF.
 * csv-stringify quotes the delimiter, the quote and the whole record delimiter (CRLF) on its own, but not
 * a lone LF or CR, so a note with line breaks would otherwise split into rows in other readers and put
 * its continuation lines (say `+1-206…`) in column A.
 */
import { stringify, type Options, type Stringifier } from 'csv-stringify';
import { neutralise, unneutralise } from './formula.js';

export function csvStringifier(options: { bom?: boolean; delimiter?: string } = {}): Stringifier {
  const settings: Options = { bom: options.bom ?? true, record_delimiter: 'windows', quoted_match: /[\r\n]/ };
  if (options.delimiter) settings.delimiter = options.delimiter;
  return stringify(settings);
}

/**
 * An uploaded cell echoed back (results file): neutralised like any exported cell. A cell the admin had
 * already escaped keeps exactly one apostrophe, so the results file uploads again with the same meaning.
 */
export function echoCell(cell: string): string {
  return neutralise(unneutralise(cell));
}
