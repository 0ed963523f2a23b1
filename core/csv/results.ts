/**
 * The results file of an import: "You can download the details of the processed records, fix any
 * errors, and upload the same file" (bulk CSV seed). It is the uploaded file, row for row and cell for
 * cell (each echoed cell neutralised against formulas, as every cell we write), with the Errors column filled (every error of the row, separated by semicolons) and the
 * Engagement ID, Referral ID and CRM ID of created deals filled in, so that a corrected row goes back
 * as an update, and their status, substatus and sales stage as Partner Center created them, so that it
 * goes back changing nothing (RowOutcome.created). Columns the file lacked are added at the front; the delimiter is the uploaded file's.
 * Streamed through csv-stringify.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CRM_ID, ENGAGEMENT_ID, ERRORS, REFERRAL_ID } from './columns.js';
import { errorsCell, type RowError } from './errors.js';
import { neutralise } from './formula.js';
import type { ParsedFile } from './parse.js';
import { csvStringifier, echoCell } from './writer.js';

export type RowOutcomeKind = 'created' | 'updated' | 'unchanged' | 'not-processed' | 'empty';

export interface RowOutcome {
  row: number;
  outcome: RowOutcomeKind;
  errors: RowError[];
  referralId?: string;
  engagementId?: string;
  /** The deal's CRM ID (a content key for rows that had none). */
  crmId?: string;
  /**
   * A created deal's cells, by column name, where the row's own text does not describe it: the row asked
   * for New/Accepted ("Use New if you are trying to create a new deal") and Partner Center created the deal
   * Active/Accepted with its first sales stage. Written over the row's cells, so that the corrected results
   * file goes back changing nothing on the deals already created.
   */
  created?: Readonly<Record<string, string>>;
}

const FILLED = [ERRORS, ENGAGEMENT_ID, REFERRAL_ID, CRM_ID] as const;

/** Header and rows of the results file. Pure. */
export function resultsRows(file: ParsedFile, outcomes: readonly RowOutcome[], fileErrors: readonly string[] = []): string[][] {
  const missing = FILLED.filter((spec) => !file.headerInfo.byName.has(spec.name));
  const header = [...missing.map((s) => s.name), ...file.header.map(echoCell)];
  const index = (name: string): number => {
    const at = missing.findIndex((s) => s.name === name);
    return at >= 0 ? at : missing.length + (file.headerInfo.byName.get(name) as number);
  };
  const byRow = new Map(outcomes.map((o) => [o.row, o]));
  const rows = file.rows.map((parsed) => {
    const cells = [...missing.map(() => ''), ...parsed.raw.map(echoCell)];
    while (cells.length < header.length) cells.push('');
    const outcome = byRow.get(parsed.row);
    const errors = [...fileErrors, ...(outcome ? [errorsCell(outcome.errors)] : [])].filter((e) => e !== '');
    cells[index(ERRORS.name)] = neutralise(errors.join('; '));
    for (const [spec, value] of [[ENGAGEMENT_ID, outcome?.engagementId], [REFERRAL_ID, outcome?.referralId], [CRM_ID, outcome?.crmId]] as const) {
      const at = index(spec.name);
      if (value && (cells[at] ?? '').trim() === '') cells[at] = neutralise(value);
    }
    for (const [name, value] of Object.entries(outcome?.created ?? {})) {
      const at = file.headerInfo.byName.get(name);
      if (at !== undefined) cells[missing.length + at] = neutralise(value);
    }
    return cells;
  });
  return [header, ...rows];
}

export async function writeResults(output: Writable, file: ParsedFile, outcomes: readonly RowOutcome[], fileErrors: readonly string[] = [], end = true): Promise<void> {
  await pipeline(Readable.from(resultsRows(file, outcomes, fileErrors)), csvStringifier({ delimiter: file.delimiter }), output, { end });
}
