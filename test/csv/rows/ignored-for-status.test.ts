/** Issue 17: a Declined/Lost reason on an Active deal is ignored with a warning in the results row, not stored. */
import assert from 'node:assert/strict';
import { createRow, fileOf, importText } from './helpers.js';

describe('CSV import: values a column ignores for the row status', () => {
  it("ignores the seed sample's reason on an Active deal, with a warning, and creates the deal without it", async () => {
    const { result, gateway, errorsOf } = await importText(fileOf([createRow({ 'Declined/Lost reason': '6' })]));
    assert.equal(result.rows[0]!.outcome, 'created', JSON.stringify(result.rows[0]!.errors));
    const warning = result.rows[0]!.errors.find((e) => e.code === 'csv.ignored_for_status')!;
    assert.deepEqual([warning.severity, warning.column], ['warning', 'Declined/Lost reason']);
    assert.equal([...gateway.store.values()][0]!.closeReason, undefined);
    assert.match(errorsOf(0), /^Warning: column "Declined\/Lost reason": is ignored/);
  });
});
