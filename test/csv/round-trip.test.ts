/**
 * Export 5,000 referrals and import the file unchanged: zero changes, zero errors. Import takes at most
 * 1,000 records per file ("If the file has more than 1000 records, it cannot be processed"), so the
 * export is split into five files of 1,000 records, as an admin would.
 */
import assert from 'node:assert/strict';
import { exportReferrals, importReferrals } from '../../core/csv/index.js';
import { CapturingStream, records, splitCsv } from './helpers/csv.js';
import { manyReferrals } from './helpers/fixtures.js';
import { MemoryGateway } from './helpers/memory-gateway.js';

describe('CSV round trip against the in-memory gateway', () => {
  it('exports 5,000 referrals and re-imports the file unchanged with zero changes and zero errors', async () => {
    const gateway = new MemoryGateway().seed(manyReferrals(5000));
    const before = structuredClone([...gateway.store.values()]);
    const output = new CapturingStream();
    const exported = await exportReferrals({ output }, { gateway });
    assert.equal(exported.written, 5000);
    const files = splitCsv(output.text(), 1000);
    assert.equal(files.length, 5);
    for (const content of files) {
      const result = await importReferrals({ content }, {}, { gateway });
      assert.deepEqual(result.fileErrors, []);
      assert.deepEqual(result.rows.filter((r) => r.errors.length > 0).slice(0, 3), [], 'no row has an error');
      assert.deepEqual(result.summary, { created: 0, updated: 0, unchanged: 1000, notProcessed: 0, empty: 0 });
    }
    assert.deepEqual(gateway.calls.create + gateway.calls.update, 0, 'no call was made');
    assert.deepEqual([...gateway.store.values()], before, 'every referral is as it was');
  });

  it('refuses an unsplit export of more than 1,000 records whole, without a single call', async () => {
    const gateway = new MemoryGateway().seed(manyReferrals(1001));
    const output = new CapturingStream();
    await exportReferrals({ output }, { gateway });
    const results = new CapturingStream();
    const result = await importReferrals({ content: output.text() }, { results }, { gateway });
    const [header, ...rows] = records(results.text());
    assert.equal(rows.length, 1001);
    assert.ok(rows.every((r) => r[header!.indexOf('Errors')]!.includes('cannot be processed')), 'every row of the results file says why');
    assert.match(result.fileErrors[0]!, /has 1001 records; "If the file has more than 1000 records, it cannot be processed"/);
    assert.deepEqual(result.summary, { created: 0, updated: 0, unchanged: 0, notProcessed: 1001, empty: 0 });
    assert.equal(gateway.calls.create + gateway.calls.update, 0);
  });
});
