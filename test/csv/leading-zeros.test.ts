/**
 * A file saved by Excel: postal codes and D-U-N-S numbers that lost their leading zeros (ZIP 02108 → 2108,
 * D-U-N-S 081466849 → 81466849). Until 2026-12-06 the import took them without a word. Each is now a
 * warning naming the row, the column, the expected length and the likely cause; the value is not guessed,
 * and the row still goes (the seed documents no format for either column).
 */
import assert from 'node:assert/strict';
import { describeRowError, importReferrals, parseCsv } from '../../core/csv/index.js';
import { CapturingStream, csvText, records } from './helpers/csv.js';
import { MemoryGateway, NOW } from './helpers/memory-gateway.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from './helpers/fixtures.js';

const create = (overrides: Record<string, string>) => ({ ...SEED_SAMPLE_ROW, Errors: '', 'Engagement ID': '', 'Referral ID': '', 'Estimated Close Date': '1/30/2027', 'Customer D-U-N-S ID': '081466849', ...overrides });
const CAUSE = /a spreadsheet drops leading zeros; format the column as text/;

describe('CSV import: leading zeros a spreadsheet dropped', () => {
  it('warns of a short ZIP code, a short D-U-N-S number and a short German postal code, naming row, column, rule and cause', () => {
    const file = parseCsv(csvText(SAMPLE_HEADER, [
      create({ 'CRM ID': 'Z-1', 'Customer Postal Code': '2108', 'Customer Country': 'US' }),
      create({ 'CRM ID': 'Z-2', 'Customer D-U-N-S ID': '81466849' }),
      create({ 'CRM ID': 'Z-3', 'Customer Postal Code': '1067', 'Customer Country': 'de', 'Customer State': '' }),
      create({ 'CRM ID': 'Z-4', 'Customer Postal Code': '2108-1234', 'Customer Country': 'US' }),
    ]));
    const warnings = file.rows.map((r) => r.errors.filter((e) => e.code === 'csv.leading_zeros').map(describeRowError));
    assert.equal(warnings[0]!.length, 1);
    assert.match(warnings[0]![0]!, /^Row 2, column "Customer Postal Code": "2108" has 4 digits; a postal code of US has 5: a spreadsheet drops leading zeros; format the column as text.* \[csv\.leading_zeros\]$/);
    assert.match(warnings[1]![0]!, /^Row 3, column "Customer D-U-N-S ID": "81466849" has 8 digits; a D-U-N-S number has 9: /);
    assert.match(warnings[2]![0]!, /^Row 4, column "Customer Postal Code": "1067" has 4 digits; a postal code of DE has 5: /);
    assert.match(warnings[3]![0]!, /"2108-1234" has 4 digits/);
    for (const w of warnings.flat()) assert.match(w, CAUSE);
  });

  it('says nothing of full-length values, of text codes, or of countries whose codes have no fixed length', () => {
    const file = parseCsv(csvText(SAMPLE_HEADER, [
      create({ 'CRM ID': 'Z-5', 'Customer Postal Code': '02108', 'Customer Country': 'US' }),
      create({ 'CRM ID': 'Z-6', 'Customer Postal Code': 'SW1A 1AA', 'Customer Country': 'GB' }),
      create({ 'CRM ID': 'Z-7', 'Customer Postal Code': '800', 'Customer Country': 'JP' }),
      create({ 'CRM ID': 'Z-8', 'Customer D-U-N-S ID': '08-146-6849' }),
      create({ 'CRM ID': 'Z-9', 'Customer D-U-N-S ID': '' }),
    ]));
    assert.deepEqual(file.rows.flatMap((r) => r.errors.filter((e) => e.code === 'csv.leading_zeros')), []);
  });

  it('sends the row as written (the digits are not guessed) and puts the warning in the results file', async () => {
    const gateway = new MemoryGateway();
    const output = new CapturingStream();
    const result = await importReferrals({ content: csvText(SAMPLE_HEADER, [create({ 'CRM ID': 'Z-10', 'Customer Postal Code': '2108', 'Customer Country': 'US' })]) }, { location: 'loc-us-redmond', results: output }, { gateway, now: () => NOW });
    assert.equal(result.summary.created, 1);
    const created = await gateway.getReferral(result.rows[0]!.referralId!);
    assert.equal(created?.customer.postalCode, '2108');
    const [header, row] = records(output.text());
    assert.match(row![header!.indexOf('Errors')]!, /^Warning: column "Customer Postal Code": "2108" has 4 digits/);
  });
});
