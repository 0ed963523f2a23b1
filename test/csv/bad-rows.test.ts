/**
 * The bad-row corpus (test/fixtures/csv/bad-rows.json): one import file in which good rows sit among
 * 70+ bad ones, each with a different fault. Every bad row must be refused with an error that names its
 * row, its column and the rule; nothing may be written for it; the good rows must go through.
 */
import assert from 'node:assert/strict';
import { describeRowError, importReferrals, type ImportResult, type RowError } from '../../core/csv/index.js';
import type { Referral } from '../../core/model/index.js';
import { buildCorpus, corpus, rowNumber } from './helpers/corpus.js';
import { CapturingStream, records } from './helpers/csv.js';
import { MemoryGateway, NOW } from './helpers/memory-gateway.js';

describe(`the bad-row corpus (${corpus.filter((r) => r.expect).length} bad rows, ${corpus.filter((r) => r.outcome).length} good rows, one file)`, () => {
  let gateway: MemoryGateway;
  let result: ImportResult;
  let seeded: Map<number, Referral>;
  let results: string[][];

  before(async () => {
    const built = buildCorpus();
    seeded = built.seeded;
    gateway = new MemoryGateway().seed(new Set(seeded.values()));
    const output = new CapturingStream();
    result = await importReferrals({ content: built.text }, { location: 'loc-us-redmond', results: output }, { gateway, now: () => NOW });
    results = records(output.text());
  });

  it('has a different fault in every row, at least 60 of them bad', () => {
    assert.equal(new Set(corpus.map((r) => r.fault)).size, corpus.length);
    assert.ok(corpus.filter((r) => r.expect).length >= 60);
  });

  it('reads the file as a whole: no file-level error or warning', () => {
    assert.deepEqual(result.fileErrors, []);
    assert.deepEqual(result.fileWarnings, []);
  });

  corpus.forEach((entry, i) => {
    const n = rowNumber(i);
    if (entry.expect) {
      const expected = entry.expect;
      it(`row ${n}, ${entry.fault}: refused by ${expected.code}${expected.column ? ` on "${expected.column}"` : ''}`, () => {
        const outcome = result.rows.find((r) => r.row === n)!;
        assert.equal(outcome.outcome, 'not-processed');
        const found = outcome.errors.find((e: RowError) => e.code === expected.code && (expected.column === undefined || e.column === expected.column));
        assert.ok(found, `expected ${expected.code} on ${expected.column ?? 'the row'}, got:\n${outcome.errors.map(describeRowError).join('\n')}`);
        assert.ok(found.message.includes(expected.says), `"${found.message}" should say "${expected.says}"`);
        const text = describeRowError(found);
        assert.ok(text.startsWith(expected.column ? `Row ${n}, column "${expected.column}": ` : `Row ${n}: `), text);
        assert.ok(text.endsWith(`[${expected.code}]`), text);
      });
    } else {
      it(`row ${n}, ${entry.fault}: ${entry.outcome}`, () => {
        const outcome = result.rows.find((r) => r.row === n)!;
        // Warnings (a value the row's status ignores) do not stop a good row.
        assert.deepEqual(outcome.errors.filter((e: RowError) => e.severity === 'error').map(describeRowError), []);
        assert.equal(outcome.outcome, entry.outcome);
        assert.ok(outcome.referralId, 'the results carry the referral ID');
      });
    }
  });

  it('writes nothing for a bad row: creates and updates match the good rows, refused deals are untouched', () => {
    assert.equal(gateway.calls.create, corpus.filter((r) => r.outcome === 'created').length);
    assert.equal(gateway.calls.update, corpus.filter((r) => r.outcome === 'updated').length);
    assert.equal(gateway.store.size, new Set(seeded.values()).size + gateway.calls.create);
    corpus.forEach((entry, i) => {
      const deal = seeded.get(i);
      if (entry.expect && deal && !entry.sameDealAs) assert.deepEqual(gateway.store.get(deal.referralId!), deal, `row ${rowNumber(i)} (${entry.fault}) changed its deal`);
    });
  });

  it('counts the outcomes in the summary', () => {
    const count = (o: string) => corpus.filter((r) => r.outcome === o).length;
    assert.deepEqual(result.summary, { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), notProcessed: corpus.filter((r) => r.expect).length, empty: 0 });
  });

  it('writes the results file: every bad row with its errors in the Errors column, good rows with their IDs', () => {
    const [header, ...rows] = results;
    const col = (name: string) => header!.indexOf(name);
    assert.equal(rows.length, corpus.length);
    corpus.forEach((entry, i) => {
      const cells = rows[i]!;
      if (entry.expect) assert.ok(cells[col('Errors')]!.includes(`[${entry.expect.code}]`), `row ${rowNumber(i)} Errors: ${cells[col('Errors')]}`);
      else {
        assert.equal(cells[col('Errors')], '');
        assert.match(cells[col('Referral ID')]!, /^[0-9a-f-]{36}$/);
      }
    });
  });
});
