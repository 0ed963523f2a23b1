/**
 * A multi-line note exported with CRLF line breaks comes back from a spreadsheet with LF ones (Excel and
 * LibreOffice keep an in-cell line break as LF, and write it so on save). Re-importing that unchanged
 * export must change nothing: the note reads the same as the export wrote it, line-break style aside.
 */
import assert from 'node:assert/strict';
import { exportReferrals, importReferrals } from '../../../core/csv/index.js';
import { CapturingStream, csvText, records } from '../helpers/csv.js';
import { MemoryGateway, NOW } from '../helpers/memory-gateway.js';
import { createRow, fileOf, importText } from './helpers.js';

describe('CSV import: line breaks inside a cell', () => {
  for (const [style, eol] of [['LF (Excel, LibreOffice)', '\n'], ['CR (classic Mac)', '\r']] as const) {
    it(`leaves a CRLF note alone when the file carries it with ${style} line breaks`, async () => {
      const note = 'Pilot agreed\r\nPO expected in March\r\n\r\nBudget: 25k';
      const { gateway } = await importText(fileOf([createRow({ Notes: note, 'Notes to Microsoft': 'Line one\r\nLine two' })]));
      const output = new CapturingStream();
      await exportReferrals({ output }, { gateway });
      const [header, ...rows] = records(output.text());
      const saved = rows.map((r) => r.map((cell) => cell.replace(/\r\n/g, eol)));
      const content = csvText(header!, saved.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))));
      const before = gateway.calls.update;
      const result = await importReferrals({ content }, {}, { gateway: gateway as MemoryGateway, now: () => NOW });
      assert.deepEqual(result.summary, { created: 0, updated: 0, unchanged: 1, notProcessed: 0, empty: 0 }, JSON.stringify(result.plans.map((p) => p.kind)));
      assert.equal(gateway.calls.update, before, 'no update call');
      assert.equal([...gateway.store.values()][0]!.notes, note, 'the note keeps its text');
    });
  }

  it('still sets a note whose text changed, with the file\'s line breaks', async () => {
    const { gateway } = await importText(fileOf([createRow({ Notes: 'Pilot agreed\r\nPO expected' })]));
    const deal = [...gateway.store.values()][0]!;
    const content = fileOf([createRow({ 'Referral ID': deal.referralId!, 'Engagement ID': deal.engagementId!, 'Partner Referral Status': 'Active', Notes: 'Pilot agreed\nPO received' })]);
    const result = await importReferrals({ content }, {}, { gateway, now: () => NOW });
    assert.equal(result.summary.updated, 1, JSON.stringify(result.rows[0]!.errors));
    assert.equal(gateway.store.get(deal.referralId!)!.notes, 'Pilot agreed\nPO received');
  });
});
