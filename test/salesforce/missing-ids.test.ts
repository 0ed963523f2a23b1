/**
 * After a deletion gap the engine asks `missingIds` which of every linked opportunity are gone
 * (core/engine/deletion-gap.ts): five `Id IN` queries of 400 IDs in one Composite call, so 10,000 linked
 * deals cost five API calls (connectors/salesforce/missing-ids.ts; a plain query per 200 IDs took 50). Deleted
 * opportunities count as gone whether they are still in the Recycle Bin (query does not search it) or it
 * was emptied; IDs that are no record IDs at all are never reported.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { purgeDeleteLog } from '../../sandbox/salesforce/delete-log.js';
import { missingOpportunityId, seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce missingIds: 10,000 linked deals in five calls', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];

  before(async () => {
    h = await startSalesforceHarness();
    ids = seedOptedIn(h.sandbox, 10_000);
  });
  after(() => h?.close());

  it('reports the deleted ones, in the Recycle Bin or emptied from it, in the order asked, and nothing else', async () => {
    // Twenty deleted by sellers, spread over the queries; the Recycle Bin is then emptied of the first ten.
    const deleted = ids.filter((_, i) => i % 500 === 7);
    for (const id of deleted.slice(0, 10)) assert.ok(h.sandbox.seller.deleteRecord(id).ok);
    purgeDeleteLog(h.sandbox.store, { type: 'Opportunity', recycleBin: true });
    for (const id of deleted.slice(10)) assert.ok(h.sandbox.seller.deleteRecord(id).ok);
    const neverExisted = missingOpportunityId();
    const shortForm = deleted[15]!.slice(0, 15);
    // 10,000 distinct record IDs (the first two seeded ones left out for the two extra), a repeat and a non-ID.
    const asked = [neverExisted, ...ids.slice(2), shortForm, ids[9]!, 'not-an-id', deleted[3]!];
    h.sandbox.counters.reset();
    const missing = await h.adapter.missingIds(asked);
    assert.deepEqual(missing, [neverExisted, ...deleted, shortForm, deleted[3]!]);
    const calls = billedCalls(h.sandbox.counters.snapshot());
    assert.deepEqual(calls.byEndpoint, { composite: 5, 'composite.query:Opportunity': 25 }, 'five calls of five queries of 400 IDs');
    assert.equal(calls.total, 5);
  });

  it('asks nothing for no IDs, or none that is a record ID', async () => {
    h.sandbox.counters.reset();
    assert.deepEqual(await h.adapter.missingIds([]), []);
    assert.deepEqual(await h.adapter.missingIds(['not-an-id', '']), []);
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 0);
  });
});
