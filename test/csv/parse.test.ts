/** Reading files as real spreadsheets write them, and the cell formats the import accepts. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { buildCreate } from '../../core/csv/build.js';
import { formatNumber, parseNumber, parseUsDate } from '../../core/csv/cells.js';
import { decodeUtf8Escaping } from '../../core/csv/decode.js';
import { describeRowError } from '../../core/csv/index.js';
import { neutralise, unneutralise } from '../../core/csv/formula.js';
import { parseCsv } from '../../core/csv/parse.js';
import { detectDelimiter } from '../../core/csv/read.js';
import { csvText } from './helpers/csv.js';
import { SAMPLE_HEADER, SEED_SAMPLE_ROW } from './helpers/fixtures.js';

const row = { ...SEED_SAMPLE_ROW, 'Engagement ID': '', 'Referral ID': '' };
const fixture = (name: string) => readFile(new URL(`../fixtures/csv/${name}`, import.meta.url), 'utf8');

describe('CSV reading', () => {
  it('reads a UTF-8 BOM, CRLF line ends and a quoted note spanning lines', () => {
    const text = csvText(SAMPLE_HEADER, [{ ...row, Notes: 'First line\r\nSecond line, with a comma\nThird "quoted" line' }], { bom: true });
    assert.ok(text.startsWith('\uFEFF') && text.includes('\r\n'));
    const file = parseCsv(text);
    assert.equal(file.header[0], 'Errors', 'the BOM is not part of the first header');
    const { referral } = buildCreate(file.rows[0]!);
    assert.equal(referral.notes, 'First line\r\nSecond line, with a comma\nThird "quoted" line');
  });

  it('reads a file whose rows end in LF after a CRLF header (an exported file with rows appended by an editor or `echo >>`)', () => {
    // Found walking the README on 2026-12-06: csv-parse took the first line's CRLF as every record's end,
    // so two appended LF rows became one row of 69 cells, refused as "the row has 69 cells but the header has 35".
    const exported = csvText(SAMPLE_HEADER, [row], { bom: true });
    const appended = csvText(SAMPLE_HEADER, [{ ...row, 'Deal Name': 'Second deal' }, { ...row, 'Deal Name': 'Third deal' }], { eol: '\n' }).split('\n').slice(1).join('\n');
    const file = parseCsv(`${exported}${appended}`);
    assert.deepEqual(file.rows.map((r) => [r.row, r.errors.length, buildCreate(r).referral.dealName]), [[2, 0, (row as Record<string, string>)['Deal Name']], [3, 0, 'Second deal'], [4, 0, 'Third deal']]);
  });

  it('reads a semicolon-delimited file as European Excel writes it, with decimal commas', () => {
    const text = csvText(SAMPLE_HEADER, [{ ...row, 'Estimated Deal Value': '12563,5' }], { delimiter: ';' });
    assert.equal(detectDelimiter(text), ';');
    const file = parseCsv(text);
    assert.deepEqual(file.rows[0]!.errors, []);
    const { referral } = buildCreate(file.rows[0]!);
    assert.equal(referral.value, 12563.5);
    assert.deepEqual(referral.solutions[0], { id: 'SOL-1234-PQRS', kind: 'own', currency: 'USD', price: 10, quantity: 100 }, 'commas inside a Solution cell still separate its parts');
  });

  it('reads the hand-made European fixture file (BOM, semicolons, CRLF, multi-line note, trailing empty rows)', async () => {
    const file = parseCsv(await fixture('european-excel.csv'));
    assert.equal(file.delimiter, ';');
    assert.deepEqual(file.fileErrors, []);
    assert.equal(file.rows.length, 2, 'the trailing empty rows are not records');
    assert.deepEqual(file.rows.flatMap((r) => r.errors), []);
    const first = buildCreate(file.rows[0]!, { location: 'loc-de' }).referral;
    assert.equal(first.customer.city, 'München');
    assert.equal(first.value, 4999.99);
    assert.equal(first.notes, 'Erste Zeile\r\nZweite Zeile; mit Semikolon');
    assert.equal(file.rows[1]!.row, 3, 'row numbers are spreadsheet rows: the note spans two lines but is one row');
  });

  it('skips trailing empty rows and keeps spreadsheet row numbers across empty rows', () => {
    const text = `${csvText(SAMPLE_HEADER, [row])}\r\n${','.repeat(SAMPLE_HEADER.length - 1)}\r\n${csvText(SAMPLE_HEADER, [row]).split('\r\n')[1]}\r\n\r\n,,,\r\n`;
    const file = parseCsv(text);
    // Empty rows keep their place (each gets a results row); blank lines after the last record do not count.
    assert.deepEqual(file.rows.map((r) => [r.row, r.shape]), [[2, 'data'], [3, 'empty'], [4, 'empty'], [5, 'data']], 'header 1, record 2, empty row 3, row of empty cells 4, record 5');
  });

  it('matches headers regardless of case and surrounding spaces, and reports unknown columns by name', () => {
    const header = SAMPLE_HEADER.map((h) => (h === 'Deal Name' ? '  deal NAME ' : h === 'Solution 1' ? 'SOLUTION  1' : h));
    const text = csvText([...header, 'Location', 'Priority'], [{ ...row, '  deal NAME ': 'Lower case deal', 'SOLUTION  1': 'SOL-1', Location: 'x' }]);
    const file = parseCsv(text);
    assert.deepEqual(file.fileWarnings, ['Unknown column(s) ignored: "Location", "Priority"']);
    const { referral } = buildCreate(file.rows[0]!);
    assert.equal(referral.dealName, 'Lower case deal');
    assert.deepEqual(referral.solutions.map((s) => s.id), ['SOL-1']);
  });

  it('refuses a file whose header names a column twice', () => {
    const file = parseCsv(csvText([...SAMPLE_HEADER, 'deal name'], [row]));
    assert.match(file.fileErrors[0]!, /"Deal Name"/);
  });

  it('refuses a file that is not CSV (an unterminated quote) with the parser\'s reason, and one without the documented header', () => {
    assert.match(parseCsv(`${SAMPLE_HEADER.join(',')}\r\n"unterminated,cell\r\n`).fileErrors[0]!, /^The file is not valid CSV: .*quote/i);
    assert.match(parseCsv('Name,Amount\r\nx,1\r\n').fileErrors[0]!, /none of the documented column names/);
  });

  it('says why an empty file and a UTF-16 file ("Unicode Text" in Excel) cannot be read, instead of looking for a header in them', () => {
    for (const empty of ['', '\uFEFF', '\r\n\r\n']) {
      const file = parseCsv(empty);
      assert.deepEqual(file.fileErrors, ['The file is empty: it has no header row and no records.']);
    }
    const utf16 = Buffer.from(`\uFEFF${csvText(SAMPLE_HEADER, [row]).replace(/,/g, '\t')}`, 'utf16le');
    const file = parseCsv(decodeUtf8Escaping(utf16));
    assert.equal(file.fileErrors.length, 1);
    assert.match(file.fileErrors[0]!, /^The file is not UTF-8 text: it holds NUL characters, as UTF-16 \("Unicode Text" in Excel\) does\. Save it as "CSV UTF-8/);
    assert.deepEqual(file.fileWarnings, [], 'no header listed as unknown columns spelled with NULs');
  });

  it('names the row and the column of a cell that does not parse', () => {
    const text = csvText(SAMPLE_HEADER, [row, row, row, row, row, { ...row, 'Estimated Close Date': '13/01/2020' }]);
    const [error] = parseCsv(text).rows[5]!.errors;
    assert.equal(describeRowError(error!), 'Row 7, column "Estimated Close Date": "13/01/2020" is not a date in MM/DD/YYYY (UTC): there is no month 13 (day first?) [csv.date]');
  });
});

describe('CSV cell formats', () => {
  it('reads MM/DD/YYYY and M/D/YYYY dates as UTC calendar dates and nothing else', () => {
    assert.equal(parseUsDate('1/30/2020'), '2020-01-30');
    assert.equal(parseUsDate('01/30/2020'), '2020-01-30');
    assert.equal(parseUsDate('2/29/2024'), '2024-02-29');
    for (const bad of ['13/01/2020', '2/30/2026', '2020-01-30', '1/30/20', '30.01.2020']) assert.throws(() => parseUsDate(bad), /MM\/DD\/YYYY/);
  });

  it('reads plain numbers, refuses thousands separators, and reads a decimal comma only in semicolon files', () => {
    assert.equal(parseNumber('12563', { decimalComma: false }), 12563);
    assert.equal(parseNumber('12563.50', { decimalComma: false }), 12563.5);
    assert.equal(parseNumber('-5', { decimalComma: false }), -5);
    assert.throws(() => parseNumber('12,563', { decimalComma: false }), /without thousands separators/);
    assert.throws(() => parseNumber('12,563', { decimalComma: true }), /without thousands separators/);
    assert.throws(() => parseNumber('1.234,50', { decimalComma: true }), /not a number/);
    assert.throws(() => parseNumber('$100', { decimalComma: false }), /not a number/);
    assert.equal(parseNumber('12563,5', { decimalComma: true }), 12563.5);
  });

  it('refuses a number it would round, naming the value it would store, and writes numbers in plain digits that read back the same', () => {
    assert.throws(() => parseNumber('99999999999999999999999', { decimalComma: false }), /"99999999999999999999999" has more digits than can be kept exactly: it would be stored as 100000000000000000000000; write at most 15 significant digits/);
    assert.throws(() => parseNumber('0.12345678901234567890', { decimalComma: false }), /would be stored as 0\.12345678901234568\b/);
    assert.equal(parseNumber('007.50', { decimalComma: false }), 7.5);
    assert.equal(parseNumber('123456789012345', { decimalComma: false }), 123456789012345);
    assert.equal(formatNumber(1e23), '100000000000000000000000');
    assert.equal(formatNumber(1e-7), '0.0000001');
    assert.equal(formatNumber(-1.5e-10), '-0.00000000015');
    assert.equal(formatNumber(1.2345e25), '12345000000000000000000000');
    for (const value of [1e23, 1e-7, 1.5e-10, 1.2345e25, 4999.99, 12563, 0.1]) assert.equal(parseNumber(formatNumber(value), { decimalComma: false }), value);
  });

  it('neutralises formula cells and reads them back unchanged', () => {
    const values = ['=1+1', '+SUM(A1)', '-cmd', '@x', '\tTab', '\rCR', "'=quoted", "''=twice", ' =spaced', "'plain", 'plain', '-', '+1 425 555 0100', "'"];
    for (const value of values) {
      const written = neutralise(value);
      assert.ok(!/^[=+\-@\t\r]/.test(written), `${JSON.stringify(written)} would run as a formula`);
      assert.equal(unneutralise(written.trim()), value.trim() === value ? value : unneutralise(written.trim()));
    }
    assert.equal(neutralise('12563'), '12563', 'numbers are not touched');
  });
});
