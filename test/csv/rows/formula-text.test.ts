/** Issue 17: cells starting with =, +, - or @ are ordinary text in Partner Center: stored as text, neutralised on export. */
import assert from 'node:assert/strict';
import { exportReferrals } from '../../../core/csv/index.js';
import { CapturingStream, records } from '../helpers/csv.js';
import { createRow, fileOf, importText } from './helpers.js';

describe('CSV import: formula-like text', () => {
  it('stores "=…", "+…", "-…" and "@…" cells as text and exports them neutralised', async () => {
    const cells = { 'Deal Name': '=SUM(A1:A2) expansion', Notes: '@team follow up', 'Customer Address Line 2': '-Building 7', 'Marketing Campaign ID': '+Q3' };
    const { result, gateway } = await importText(fileOf([createRow(cells)]));
    assert.equal(result.rows[0]!.outcome, 'created', JSON.stringify(result.rows[0]!.errors));
    const deal = [...gateway.store.values()][0]!;
    assert.deepEqual([deal.dealName, deal.notes, deal.customer.addressLine2, deal.marketingCampaignId], Object.values(cells));
    const output = new CapturingStream();
    await exportReferrals({ output }, { gateway });
    const [header, row] = records(output.text());
    for (const [column, value] of Object.entries(cells)) assert.equal(row![header!.indexOf(column)], `'${value}`);
  });
});
