/** Issue 17: every fault of a row is listed, not just the first. */
import assert from 'node:assert/strict';
import { createRow, fileOf, importText } from './helpers.js';

describe('CSV import: every fault of a row', () => {
  it('lists each of several independent faults, each naming its column', async () => {
    const row = createRow({ 'Estimated Close Date': '13/45/2027', 'Customer Country': 'USA', 'Deal Name': '', 'Estimated Deal Value': '1,000' });
    const { result } = await importText(fileOf([row]));
    const columns = result.rows[0]!.errors.filter((e) => e.severity === 'error').map((e) => e.column);
    for (const column of ['Estimated Close Date', 'Customer Country', 'Deal Name', 'Estimated Deal Value']) assert.ok(columns.includes(column), `${column} missing from ${JSON.stringify(result.rows[0]!.errors)}`);
  });

  it('reports both faults of a new deal marked Declined without a reason', async () => {
    const row = createRow({ 'Partner Referral Status': 'Closed', 'Partner Referral Substatus': 'Declined', 'Declined/Lost reason': '' });
    const { result } = await importText(fileOf([row]));
    const codes = result.rows[0]!.errors.map((e) => e.code);
    assert.ok(codes.includes('csv.create_status'), JSON.stringify(codes));
    assert.ok(codes.includes('close_reason.required'), JSON.stringify(codes));
  });
});
