/** Issue 17: a row whose cell count differs from the header's is refused naming both counts; its cells are not guessed at. */
import assert from 'node:assert/strict';
import { stringify } from 'csv-stringify/sync';
import { records } from '../helpers/csv.js';
import { createRow, fileOf, importText } from './helpers.js';

describe('CSV import: cell count', () => {
  const lines = () => fileOf([createRow()]).split('\r\n');

  it('refuses a row with fewer cells than the header, naming both counts (not "mandatory and empty")', async () => {
    const [header, row] = lines();
    const cells = records(header!)[0]!.length;
    const cellsOfRow = records(row!)[0]!;
    const short = stringify([cellsOfRow.slice(0, -3)]);
    const { result, gateway } = await importText(`${header}\r\n${short}`);
    assert.equal(result.rows[0]!.outcome, 'not-processed');
    assert.deepEqual(result.rows[0]!.errors.map((e) => e.code), ['csv.cell_count']);
    assert.match(result.rows[0]!.errors[0]!.message, new RegExp(`has ${cells - 3} cells but the header has ${cells}`));
    assert.equal(gateway.store.size, 0);
  });

  it('refuses a row with more cells than the header instead of dropping the extra and creating it', async () => {
    const [header, row] = lines();
    const { result, gateway } = await importText(`${header}\r\n${row},surplus\r\n`);
    assert.equal(result.rows[0]!.outcome, 'not-processed');
    assert.match(result.rows[0]!.errors[0]!.message, /cells but the header has/);
    assert.equal(gateway.store.size, 0);
  });
});
