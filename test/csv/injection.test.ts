/**
 * RFC 4180 quoting and formula neutralisation: a multi-line note that starts with `=` exports as one
 * quoted, neutralised cell that any CSV parser reads back as the same single row, and the import results
 * file never echoes an uploaded formula as it was.
 */
import assert from 'node:assert/strict';
import { exportReferrals, importReferrals } from '../../core/csv/index.js';
import { variedReferral } from './helpers/fixtures.js';
import { CapturingStream, csvText, records } from './helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from './helpers/fixtures.js';
import { MemoryGateway, NOW } from './helpers/memory-gateway.js';

const NOTE = '=1+2\n+1-206-555-0100\nthird line';

describe('CSV quoting and formula neutralisation', () => {
  it('exports a three-line note starting with = as one quoted, neutralised cell that reads back as one row and re-imports unchanged', async () => {
    const referral = { ...variedReferral(1), notes: NOTE };
    const gateway = new MemoryGateway().seed([referral]);
    const output = new CapturingStream();
    await exportReferrals({ output }, { gateway });
    const text = output.text();
    const [header, ...rows] = records(text);
    assert.equal(rows.length, 1, `one data row, not split at the line breaks:\n${text}`);
    const notes = rows[0]![header!.indexOf('Notes')]!;
    assert.equal(notes, `'${NOTE}`, 'the whole note, neutralised with one apostrophe');
    assert.ok(text.includes(`"'=1+2\n+1-206-555-0100\nthird line"`), 'the cell is quoted (RFC 4180)');

    const result = await importReferrals({ content: text }, {}, { gateway, now: () => NOW });
    assert.deepEqual(result.fileErrors, []);
    assert.deepEqual(result.summary, { created: 0, updated: 0, unchanged: 1, notProcessed: 0, empty: 0 });
    assert.equal(gateway.store.get(referral.referralId!)!.notes, NOTE);
  });

  it('the results file neutralises every echoed cell, header included, and quotes line breaks', async () => {
    const row = { ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '', Errors: '', 'CRM ID': 'CRM-F', 'Deal Name': '=HYPERLINK("http://evil.example","click")', Notes: "line one\n@SUM(A1)", '=cmd|x!A0': '+SUM(1)' };
    const file = csvText([...SAMPLE_HEADER, '=cmd|x!A0'], [row]);
    const results = new CapturingStream();
    const gateway = new MemoryGateway();
    const result = await importReferrals({ content: file }, { location: 'loc-us-redmond', results }, { gateway, now: () => NOW });
    const [header, ...rows] = records(results.text());
    assert.equal(rows.length, 1);
    const cell = (name: string) => rows[0]![header!.indexOf(name)]!;
    assert.ok(header!.includes("'=cmd|x!A0"), `header echoed neutralised: ${header!.join(' | ')}`);
    assert.equal(cell('Deal Name'), `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(cell("'=cmd|x!A0"), "'+SUM(1)");
    assert.equal(cell('Notes'), 'line one\n@SUM(A1)');
    // A cell that looks like a formula is ordinary text in Partner Center (issue 17): stored as text, neutralised on every way out.
    assert.equal(result.summary.created, 1, JSON.stringify(result.rows));
    assert.equal([...gateway.store.values()][0]!.dealName, '=HYPERLINK("http://evil.example","click")');
    for (const cells of [header!, ...rows]) for (const c of cells) assert.doesNotMatch(c, /^\s*[=+\-@]/, `an echoed cell starts like a formula: ${c}`);
  });
});
