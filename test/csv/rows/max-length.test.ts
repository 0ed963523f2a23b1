/** Issue 17: every free-text column has a stated maximum, enforced with a message naming column, length and limit. */
import assert from 'node:assert/strict';
import { TEXT_LIMITS } from '../../../core/csv/limits.js';
import { COLUMNS } from '../../../core/csv/columns.js';
import { createRow, fileOf, importText } from './helpers.js';

describe('CSV import: maximum lengths', () => {
  it('refuses a 1,200-character deal name naming the column, the length and the limit', async () => {
    const { result, gateway } = await importText(fileOf([createRow({ 'Deal Name': 'x'.repeat(1200) })]));
    const error = result.rows[0]!.errors.find((e) => e.column === 'Deal Name')!;
    assert.equal(error.code, 'csv.too_long');
    assert.match(error.message, /1200 characters long; "Deal Name" takes at most 100/);
    assert.equal(gateway.store.size, 0);
  });

  it('accepts text at the limit, counting characters rather than UTF-16 units', async () => {
    const { result } = await importText(fileOf([createRow({ 'Deal Name': '😀'.repeat(100) })]));
    assert.equal(result.rows[0]!.outcome, 'created', JSON.stringify(result.rows[0]!.errors));
  });

  it('applies the contact columns\' limits to each part of a Team member cell, naming the column and the part', async () => {
    const long = 'n'.repeat(101);
    const { result, gateway } = await importText(fileOf([createRow({ 'Team member 1': `${long}, Seller, +1 425 555 0101, sam@partner.example` })]));
    const error = result.rows[0]!.errors.find((e) => e.column === 'Team member 1')!;
    assert.equal(error.code, 'csv.too_long');
    assert.match(error.message, /team member's first name is 101 characters long; it takes at most 100/);
    assert.equal(gateway.store.size, 0);
  });

  it('states a limit for every free-text column, each with its source', () => {
    const coded = new Set(['Partner Referral Status', 'Partner Referral Substatus', 'Declined/Lost reason', 'Sales Stage', 'Estimated Deal Value', 'Currency', 'Estimated Close Date', 'Microsoft help required?', 'What specific help from Microsoft?', 'Share with Microsoft sales team', 'Consent to share Customer/Partner contact', 'Customer Country', 'Customer D-U-N-S ID']);
    const freeText = COLUMNS.filter((c) => !c.readOnly && !coded.has(c.name)).map((c) => c.name);
    for (const name of freeText) assert.ok(TEXT_LIMITS.get(name)?.source, `no stated limit for "${name}"`);
  });
});
