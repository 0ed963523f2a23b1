/** `cosell export`: the documented columns and formats, the 5,000 cap, formula neutralisation, streaming. */
import assert from 'node:assert/strict';
import { exportReferrals, MAX_EXPORT_RECORDS } from '../../core/csv/index.js';
import { CapturingStream, records } from './helpers/csv.js';
import { DOCUMENTED_COLUMNS, manyReferrals, variedReferral } from './helpers/fixtures.js';
import { MemoryGateway } from './helpers/memory-gateway.js';
import { coSellDeal, outboundDeal } from '../helpers/referrals.js';

async function exportOf(gateway: MemoryGateway, options: Partial<Parameters<typeof exportReferrals>[0]> = {}) {
  const output = new CapturingStream();
  const result = await exportReferrals({ output, ...options }, { gateway });
  return { result, output, rows: records(output.text()) };
}

describe('CSV export', () => {
  it('writes the documented columns in the documented order, then Solution N and Team member N as needed', async () => {
    const wide = outboundDeal({
      referralId: 'r-wide',
      solutions: [1, 2, 3].map((n) => ({ id: `SOL-${n}`, kind: 'own' as const })),
      team: [1, 2].map((n) => ({ firstName: `F${n}`, lastName: 'L', phone: '999999', email: `m${n}@x.example` })),
    });
    const { rows } = await exportOf(new MemoryGateway().seed([outboundDeal(), wide]));
    assert.deepEqual(rows[0], [...DOCUMENTED_COLUMNS, 'Solution 1', 'Solution 2', 'Solution 3', 'Team member 1', 'Team member 2']);
  });

  it('writes values in the documented formats, with Microsoft\'s status filled read-only', async () => {
    const deal = coSellDeal({ closeDate: '2026-01-05', salesStage: 'Developed', closeReason: undefined, microsoft: { status: 'Pending' } });
    const { rows } = await exportOf(new MemoryGateway().seed([deal]));
    const cell = (name: string) => rows[1]![rows[0]!.indexOf(name)];
    assert.equal(cell('Estimated Close Date'), '01/05/2026');
    assert.equal(cell('Sales Stage'), '40');
    assert.equal(cell('What specific help from Microsoft?'), '3');
    assert.equal(cell('Microsoft help required?'), 'Yes');
    assert.equal(cell('Microsoft Referral Status'), 'Pending');
    assert.equal(cell('Estimated Deal Value'), '12563');
    assert.equal(cell('Solution 1'), 'SOL-1234-PQRS, USD, 10, 100');
    assert.equal(cell('Team member 1'), 'Bob, Partner, 999999, Bob.partner@Contoso.com');
    assert.equal(cell('Errors'), '');
  });

  it(`writes at most ${MAX_EXPORT_RECORDS} records and says when more matched`, async () => {
    const { result, rows } = await exportOf(new MemoryGateway().seed(manyReferrals(MAX_EXPORT_RECORDS + 7)), { limit: 99_999 });
    assert.equal(result.written, MAX_EXPORT_RECORDS);
    assert.equal(result.truncated, true);
    assert.equal(rows.length, MAX_EXPORT_RECORDS + 1);
  });

  it('neutralises every cell a spreadsheet would run as a formula, and leaves numbers alone', async () => {
    const deal = outboundDeal({ referralId: 'r-formula', dealName: '=HYPERLINK("http://evil.example","x")', notes: '@SUM(A1:A9)', marketingCampaignId: '-2+3', customer: { ...outboundDeal().customer, name: '+cmd', city: '\tRedmond' } });
    const { output, rows } = await exportOf(new MemoryGateway().seed([deal]));
    for (const cell of rows[1]!) assert.ok(!/^[=+\-@\t\r]/.test(cell), `cell ${JSON.stringify(cell)} would run as a formula`);
    const cell = (name: string) => rows[1]![rows[0]!.indexOf(name)];
    assert.equal(cell('Deal Name'), '\'=HYPERLINK("http://evil.example","x")');
    assert.equal(cell('Customer Name'), "'+cmd");
    assert.equal(cell('Customer Contact Phone number'), '9999999999');
    assert.equal(cell('Estimated Deal Value'), '12563');
    assert.ok(output.text().startsWith('\uFEFF'), 'a BOM, so that Excel reads UTF-8');
  });

  it('warns about values the comma-separated Team member and Solution cells cannot carry back', async () => {
    const deal = outboundDeal({ referralId: 'r-comma', team: [{ firstName: 'Smith, Jr.', lastName: 'Bob', phone: '999999', email: 'b@x.example' }] });
    const { result } = await exportOf(new MemoryGateway().seed([deal, outboundDeal()]));
    assert.deepEqual(result.warnings, ['Referral r-comma: Team member 1 has a comma in a name, phone or email; the Solution and Team member columns separate parts with commas, so this row will not import back']);
  });

  it('streams rows through the output stream in many writes, not as one string', async () => {
    const { output, result } = await exportOf(new MemoryGateway().seed(manyReferrals(2000)));
    assert.equal(result.written, 2000);
    assert.ok(output.chunks.length > 100, `expected the CSV in many chunks, got ${output.chunks.length}`);
    assert.ok(Math.max(...output.chunks.map((c) => c.length)) < 64 * 1024, 'no chunk holds the whole file');
  });

  it('filters by direction, favourites, status and update time', async () => {
    const gateway = new MemoryGateway().seed(manyReferrals(200));
    const all = [...gateway.store.values()];
    const count = async (filter: Parameters<typeof exportReferrals>[0]['filter']) => (await exportOf(gateway, { filter })).result.written;
    assert.equal(await count({ direction: 'inbound' }), all.filter((r) => r.direction === 'inbound').length);
    assert.equal(await count({ favorites: true }), all.filter((r) => r.favorite).length);
    assert.equal(await count({ status: 'Closed' }), all.filter((r) => r.status === 'Closed').length);
    const since = variedReferral(150).updatedAt!;
    assert.equal(await count({ since }), 51);
    assert.ok((await count({ direction: 'inbound' })) > 0 && (await count({ status: 'Closed' })) > 0);
  });
});
