/**
 * Memory stays bounded by one page (issue 13): the feed hands each page on before it reads the next, so
 * the engine never holds two pages of read deals at once. Salesforce's last page is still held back for
 * deals changed only through related rows (and Dynamics' carries the related changes).
 */
import assert from 'node:assert/strict';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce change feed: one page in memory at a time', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;

  before(async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 100 } });
    seedOptedIn(h.sandbox, 300);
    h.sandbox.counters.reset();
  });
  after(() => h?.close());

  it('hands the first page on before reading the second page\'s related rows', async () => {
    const feed = h.adapter.readChanges(undefined)[Symbol.asyncIterator]();
    const first = await feed.next();
    assert.equal(first.done, false);
    assert.equal(first.value?.deals.length, 100);
    const read = h.sandbox.counters.snapshot();
    // The run's first Composite call (the listing) and the first page's related rows: nothing of page two.
    assert.equal(read.composite, 2, JSON.stringify(read));
    let deals = 100;
    for (let page = await feed.next(); !page.done; page = await feed.next()) deals += page.value.deals.length;
    assert.equal(deals, 300);
  });
});
