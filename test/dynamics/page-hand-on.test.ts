/**
 * Memory stays bounded by one page (issue 13): the feed hands each page on before it reads the next page's
 * rows, so the engine never holds two pages of read deals at once.
 */
import assert from 'node:assert/strict';
import { seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 change feed: one page in memory at a time', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;

  before(async () => {
    h = await startDynamicsHarness({ pageSize: 100 });
    await h.adapter.setup();
    seedOpportunities(h, 300, { teamPerDeal: 1, solutionsPerDeal: 1 });
    h.dataverse.counters.reset();
  });
  after(async () => h.close());

  it('hands the first page on before reading the second page\'s rows', async () => {
    const feed = h.adapter.readChanges(undefined)[Symbol.asyncIterator]();
    const first = await feed.next();
    assert.equal(first.done, false);
    assert.equal(first.value?.deals.length, 100);
    const read = h.dataverse.counters.snapshot();
    // A first run of several pages reads them with a plain query (connectors/dynamics/first-read.ts): page one
    // came in the run's first $batch, and page two is not asked yet. Before, the first $batch brought tracking
    // page one and page one's read was a second call.
    assert.equal(read['POST $batch'], 1, JSON.stringify(read));
    assert.equal(read['GET opportunities'] ?? 0, 0, JSON.stringify(read));
    let deals = 100;
    for (let page = await feed.next(); !page.done; page = await feed.next()) deals += page.value.deals.length;
    assert.equal(deals, 300);
  });
});
