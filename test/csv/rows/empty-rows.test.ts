/** Issue 17: an empty row is reported as empty (nothing created) and keeps its place, so later rows do not shift. */
import assert from 'node:assert/strict';
import { createRow, fileOf, importText } from './helpers.js';

describe('CSV import: empty rows', () => {
  it('gives every record one results row in order with its spreadsheet row number, an empty one reported as empty', async () => {
    const [headerLine, first, second] = fileOf([createRow({ 'Deal Name': 'first', 'CRM ID': 'A' }), createRow({ 'Deal Name': 'second', 'CRM ID': 'B' })]).split('\r\n');
    const emptyLine = ','.repeat(headerLine!.split(',').length - 1);
    const text = [headerLine, first, emptyLine, second, ''].join('\r\n');
    const { result, rows, errorsOf, gateway } = await importText(text);
    assert.deepEqual(result.rows.map((r) => [r.row, r.outcome]), [[2, 'created'], [3, 'empty'], [4, 'created']]);
    assert.equal(result.summary.empty, 1);
    assert.equal(gateway.store.size, 2, 'nothing was created for the empty row');
    assert.equal(rows.length, 3, 'one results row per record');
    assert.match(errorsOf(1), /row is empty/);
    assert.equal(errorsOf(2), '', 'the row after the empty one is reported on its own line');
  });

  it('does not count blank lines after the last record as records', async () => {
    const { result } = await importText(`${fileOf([createRow()])}\r\n\r\n`);
    assert.deepEqual(result.rows.map((r) => r.outcome), ['created']);
  });
});
