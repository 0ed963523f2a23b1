/**
 * A first run whose change-tracking listing is one page keeps change tracking, and takes each row from the
 * plain read its first `$batch` asked after the listing (connectors/dynamics/first-read.ts) when the row is at
 * the version the listing names: the run reads the CRM in that one call, not in a second one after it
 * (issue 13: the initial sync of 5,000 deals was 8 CRM calls for a minimum of 7). A row saved between the two
 * GETs of the `$batch` is read again, never taken at the plain read's version.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import { collect, saveAsSellerAfterBatchRead, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

/** A deal as the engine compares it: what was read, not when. */
const comparable = (deal: CrmDeal) => JSON.stringify({ ...deal, modifiedAt: undefined });

describe('Dynamics 365 adapter: a first run of one tracking page', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;
  afterEach(async () => h?.close());
  const calls = () => billedCalls(h.dataverse.counters.snapshot()).total;

  it('reads every opportunity in its first call, as a read by ID reads it', async () => {
    h = await startDynamicsHarness({ pageSize: 50 });
    await h.adapter.setup();
    const ids = seedOpportunities(h, 30, { teamPerDeal: 2, solutionsPerDeal: 1 });
    h.dataverse.counters.reset();
    const pages = await collect(h.adapter.readChanges(undefined));
    assert.equal(calls(), 1, JSON.stringify(h.dataverse.counters.snapshot()));
    assert.equal(pages.at(-1)!.cursor.mode, 'delta');
    const deals = pages.flatMap((p) => p.deals);
    assert.deepEqual(deals.map((d) => d.crmId).sort(), [...ids].sort());
    const read = new Map((await h.adapter.getDeals(ids)).map((d) => [d.crmId, comparable(d)]));
    for (const deal of deals) assert.equal(comparable(deal), read.get(deal.crmId), deal.crmId);
  });

  it('reads a row saved between the listing and the plain read again', async () => {
    h = await startDynamicsHarness({ pageSize: 50 });
    await h.adapter.setup();
    const ids = seedOpportunities(h, 10);
    // After the tracking GET (it selects IDs only), before the plain read.
    const saved = saveAsSellerAfterBatchRead(h, (query) => query.get('$select') === 'opportunityid,modifiedon', ids[3]!, { name: 'Saved between the two reads' });
    h.dataverse.counters.reset();
    const pages = await collect(h.adapter.readChanges(undefined));
    assert.ok(saved(), 'the save came between the two reads');
    const deals = new Map(pages.flatMap((p) => p.deals).map((d) => [d.crmId, d]));
    assert.equal(deals.size, 10);
    assert.equal(deals.get(ids[3]!)!.referral.dealName, 'Saved between the two reads');
    assert.equal(calls(), 2, 'the first call and the read of the row saved in between');
  });
});
