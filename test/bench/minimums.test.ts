/** The benchmark's minimum calls per phase (bench/minimums.ts) and its README table section (readme-table.ts). */
import assert from 'node:assert/strict';
import { changedWork, IDLE_WORK, initialWork, minimumFor } from '../../bench/minimums.js';
import { replaceSection } from '../../bench/readme-table.js';

describe('bench: minimum calls per phase', () => {
  it('initial outbound sync of 50,000: one Partner Center create each plus pages of 100; CRM pages and batches at each service\'s limit', () => {
    const work = initialWork('crm', 50_000, 0);
    const salesforce = minimumFor('salesforce', work);
    assert.equal(salesforce.partnerCenter, 50_000 + 500);
    // Salesforce: 25 query batches of deals and 75 of their child rows (three each: child rows count toward a
    // batch's 2,000), and 250 collections of 200, five operations a Composite call.
    assert.equal(salesforce.crm, (25 + 75) / 5 + 250 / 5);
    // Dataverse: and the second run's change tracking lists the 50,000 write-backs again ($filter is refused with it).
    assert.equal(minimumFor('dynamics', work).crm, 10 + 50 + 10);
  });

  it('a CRM that lists its own writes (Dataverse change tracking) lists a cycle\'s writes back in its last run, a page per 5,000', () => {
    assert.equal(minimumFor('dynamics', changedWork(3_000, 3_000)).crm, 1 + 6 + 2);
    // Salesforce: the changed deals read complete in the first call come 200 a batch (two or more custom long
    // text fields: bench/minimums.ts `firstCallPage`), so 3,000 take 15 batches, and their 9,000 child rows 6 (two
    // of 2,000 for each of three child objects): 21 batches, 5 Composite calls of five; 6,000 writes 30 collections
    // (6 calls); its last run asks once.
    assert.equal(minimumFor('salesforce', changedWork(3_000, 3_000)).crm, 5 + 6 + 1);
  });

  it('initial sync from Partner Center writes the CRM ID onto open referrals only', () => {
    assert.equal(minimumFor('dynamics', initialWork('partner-center', 1000, 500)).partnerCenter, 10 + 500);
  });

  it('a 1%-changed cycle at 5,000 reads its 50 changed deals in one call; the initial sync lists 2,000 a page', () => {
    // 50 deals in one batch and their child rows in one batch per child object: four operations, one call.
    assert.equal(minimumFor('salesforce', changedWork(50, 50)).crm, 1 + 1 + 1);
    // 3 batches of 2,000 deals and 9 of their child rows, in three Composite calls; 25 collections of 200, five a call.
    assert.equal(minimumFor('salesforce', initialWork('crm', 5_000, 0)).crm, 3 + 5);
  });

  it('an idle cycle asks each side once', () => {
    const idle = minimumFor('salesforce', IDLE_WORK);
    assert.deepEqual([idle.partnerCenter, idle.crm], [1, 1]);
  });

  it('a 1%-changed cycle at 50,000: 500 PATCHes, 5 pages and the last run\'s 5 pages of echoes on Partner Center; the CRM writes include the sync status of the 500 CRM-edited deals', () => {
    const work = changedWork(500, 500);
    assert.equal(minimumFor('salesforce', work).partnerCenter, 5 + 500 + 5);
    // 500 deals read complete in the first call, 200 a batch (two or more custom long text fields): 3 batches, and
    // their child rows one batch per child object: 6 operations, two Composite calls; 1,000 writes (500 updates
    // from Partner Center, 500 sync statuses) in 5 collections of 200, one call; one question in the last run.
    assert.equal(minimumFor('salesforce', work).crm, 2 + 1 + 1);
    assert.equal(minimumFor('dynamics', work).crm, 1 + 1 + 1);
  });

  it('a Salesforce Composite call carries five query or collection operations: the floor\'s calls carry five batches', () => {
    const parts = minimumFor('salesforce', initialWork('crm', 12_000, 0)).parts.filter((p) => p.side === 'crm');
    assert.deepEqual(parts.map((p) => [p.what, p.calls, p.recordsPerCall]), [
      // 6 batches of deals and 18 of their 36,000 child rows: 5 calls; the floor carries the 12,000 deals, 2,400 a call.
      ['query pages', 5, 2_400],
      ['batched writes', 12, 1000],
    ]);
  });

  it('the parts carry the records each call moves, for the floor', () => {
    const parts = minimumFor('dynamics', initialWork('crm', 12_000, 0)).parts;
    assert.deepEqual(parts.map((p) => [p.what, p.calls, p.recordsPerCall]), [
      ['list pages', 120, 100],
      ['creates and updates (one each)', 12_000, 1],
      ['query pages', 3, 5000],
      ['batched writes', 12, 1000],
      ['our writes listed back (change tracking cannot filter them out)', 3, 5000],
    ]);
  });
});

describe('bench: the README results section', () => {
  it('replaces only what lies between the markers, and refuses a README without them', () => {
    const readme = 'intro\n<!-- bench-results:start (written by npm run bench:readme; do not edit by hand) -->\nold table\n<!-- bench-results:end -->\nafter\n';
    assert.equal(replaceSection(readme, 'new table'), 'intro\n<!-- bench-results:start (written by npm run bench:readme; do not edit by hand) -->\nnew table\n<!-- bench-results:end -->\nafter\n');
    assert.throws(() => replaceSection('no markers', 'x'), /no <!-- bench-results:start/);
  });
});
