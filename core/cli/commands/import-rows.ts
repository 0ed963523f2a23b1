/**
 * What a real `cosell import` says on the terminal about each row it did not process: every error, as
 * `Row 7, column "Estimated Close Date": … [csv.date]` (core/csv/errors.ts), so an admin sees which cell
 * broke which rule without opening the results file; warnings of processed rows follow the same form.
 */
import { describeRowError, type RowOutcome } from '../../csv/index.js';

export function rowProblemLines(rows: readonly RowOutcome[]): string[] {
  return rows.flatMap((row) =>
    row.errors
      .filter((e) => e.severity === 'warning' || row.outcome === 'not-processed')
      .map((e) => `${e.severity === 'warning' ? 'warning: ' : ''}${describeRowError(e)}`),
  );
}
