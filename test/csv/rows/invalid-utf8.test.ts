/** Issue 17: bytes that are not UTF-8 refuse their row naming the column and byte position; nothing with U+FFFD is stored. */
import assert from 'node:assert/strict';
import { createRow, fileOf, importText } from './helpers.js';

describe('CSV import: invalid UTF-8', () => {
  it('refuses the row with the bad byte, names column and byte position, and processes the other rows', async () => {
    const text = fileOf([createRow({ 'Customer Name': 'Caf#BAD# Corp', 'CRM ID': 'A' }), createRow({ 'Customer Name': 'Café Corp', 'CRM ID': 'B' })]);
    const [before, after] = text.split('#BAD#');
    const bytes = Buffer.concat([Buffer.from(before!, 'utf8'), Buffer.from([0xe9]), Buffer.from(after!, 'utf8')]);
    const { result, gateway } = await importText(bytes);
    const error = result.rows[0]!.errors[0]!;
    assert.deepEqual([result.rows[0]!.outcome, error.code, error.column], ['not-processed', 'csv.invalid_utf8', 'Customer Name']);
    assert.match(error.message, /byte 4 of the cell \(0xE9\)/);
    assert.equal(result.rows[1]!.outcome, 'created');
    for (const deal of gateway.store.values()) assert.doesNotMatch(JSON.stringify(deal), /\uFFFD/);
    assert.deepEqual([...gateway.store.values()].map((d) => d.customer.name), ['Café Corp']);
  });

  it('refuses a cell that already holds U+FFFD', async () => {
    const { result, gateway } = await importText(fileOf([createRow({ 'Deal Name': 'Deal \uFFFD one' })]));
    assert.equal(result.rows[0]!.errors[0]!.code, 'csv.replacement_character');
    assert.equal(gateway.store.size, 0);
  });
});
