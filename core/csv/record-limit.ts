/**
 * "You can create or update a maximum of 1000 records using the import functionality. … If the file has
 * more than 1000 records, it cannot be processed" (bulk CSV seed). One check for both imports (to
 * Partner Center and `--to-crm`), reading a file only up to the record past the limit (source.ts).
 */
import type { ParsedFile } from './parse.js';
import { readSource, type CsvSource } from './source.js';
import { parseCsv } from './parse.js';

export const MAX_IMPORT_RECORDS = 1000;

/**
 * The most bytes of an import file read (our own bound: the bulk CSV documentation states none). A
 * thousand real referrals take about half a megabyte (450 bytes a record in an export of the sandbox's);
 * the bound is some seventy times that, and what parsing holds in memory comfortably. Past it a file has
 * runaway cells (a fill gone wrong) and is refused whole before it is parsed.
 */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

export interface ReadImport {
  parsed: ParsedFile;
  /** The file-level refusals: the parser's, and the record limit's. */
  fileErrors: string[];
}

/** Reads and parses an import file, refusing it whole when it has more records than can be processed. */
export async function readImportFile(file: CsvSource): Promise<ReadImport> {
  const { text, totalRecords, tooLarge } = await readSource(file, MAX_IMPORT_RECORDS, MAX_IMPORT_BYTES);
  if (tooLarge) {
    const reason = `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB, far more than ${MAX_IMPORT_RECORDS} referrals take (about half a megabyte), so it is not read: a cell must have run away (a fill gone wrong). Fix the file`;
    return { parsed: { ...parseCsv(''), fileErrors: [reason] }, fileErrors: [reason] };
  }
  const parsed = parseCsv(text);
  return { parsed, fileErrors: [...parsed.fileErrors, ...recordLimitErrors(parsed, totalRecords)] };
}

/** `totalRecords`: the whole file's count when only its first records were read. */
export function recordLimitErrors(file: ParsedFile, totalRecords?: number): string[] {
  const records = Math.max(totalRecords ?? 0, file.rows.length);
  if (records <= MAX_IMPORT_RECORDS) return [];
  return [`The file has ${records} records; "If the file has more than ${MAX_IMPORT_RECORDS} records, it cannot be processed". Split it into files of at most ${MAX_IMPORT_RECORDS} records`];
}
