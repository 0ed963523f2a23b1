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

  it('reports the missing customer contact of a row asking for help with no help code, or one that does not read', async () => {
    const noContact = { 'Customer Contact First Name': '', 'Customer Contact Last Name': '', 'Customer Contact Phone number': '', 'Customer Contact Email Address': '', 'Microsoft help required?': 'Yes' };
    const { result } = await importText(fileOf([createRow({ ...noContact, 'What specific help from Microsoft?': '' }), createRow({ ...noContact, 'What specific help from Microsoft?': '7' })]));
    const contactColumns = ['Customer Contact First Name', 'Customer Contact Last Name', 'Customer Contact Phone number', 'Customer Contact Email Address'];
    const [missingCode, badCode] = result.rows.map((r) => r.errors.map((e) => `${e.column}: ${e.code}`));
    assert.deepEqual(missingCode, ['What specific help from Microsoft?: csv.help_code_required', ...contactColumns.map((c) => `${c}: customer_contact.required_for_help`)]);
    assert.deepEqual(badCode, ['What specific help from Microsoft?: csv.help_code', ...contactColumns.map((c) => `${c}: customer_contact.required_for_help`)]);
  });
});
