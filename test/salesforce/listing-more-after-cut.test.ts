/**
 * A folded listing cut at its limit goes on with the plain listing's next batch before it is announced
 * (folded-listing.ts `goOn`); the batches after that one ride in the pages' related calls (page-related.ts), or,
 * when no page has rows to read, come three a Composite call (listing-more.ts), as many as the plain query still holds. How many is told by the query's `totalSize` against the rows before the
 * locator: the answer handed on must carry the plain query's `totalSize`, not the count of rows it holds (the
 * folded rows and one plain batch), or the first chained call asks for one batch where the query holds four.
 */
import assert from 'node:assert/strict';
import type { CrmCursor, KnownVersions } from '../../core/engine/crm-port.js';
import type { CompositeSubrequest } from '../../connectors/salesforce/client.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

const MINUTE = 60_000;

describe('Salesforce listing: chained batches after a cut folded listing', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  after(() => h?.close());

  /**
   * 8,600 deals read and held, 8,500 of them then saved by sellers (the folded query fills its limit and is
   * cut), then a listing opened with ten of the engine's records folded in. `held`: the engine holds every
   * listed row at its version (no page has rows to read, so no related call the batches could ride in).
   * Answers the deals listed and, per Composite call, the Query More subrequests of the listing it carried.
   */
  async function cutListing(held: boolean): Promise<{ listed: string[]; ids: string[]; chained: number[]; riding: number }> {
    await h?.close();
    h = await startSalesforceHarness({ adapter: { pageSize: 2000 } });
    const ids = seedOptedIn(h.sandbox, 8_600);
    h.sandbox.clock.advance(MINUTE);
    const versions = new Map<string, string>();
    const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => versions.get(id) === version };
    let cursor: CrmCursor | undefined;
    for await (const page of h.adapter.readChanges(undefined, known)) {
      cursor = page.cursor;
      for (const deal of page.deals) versions.set(deal.crmId, deal.etag!);
    }
    h.sandbox.clock.advance(MINUTE);
    // A bulk change by sellers: 8,500 saved, so the folded query fills its limit and is cut.
    for (const id of ids.slice(0, 8_500)) assert.deepEqual(h.sandbox.seller.editOpportunity(id, { NextStep: 'Bulk' }), { ok: true });
    h.sandbox.clock.advance(MINUTE);

    const client = h.adapter.client;
    const original = client.composite;
    const chained: number[] = [];
    let riding = 0;
    client.composite = async (subrequests: CompositeSubrequest[], readOnly: boolean) => {
      // The listing's chains (listing-more.ts), not the related calls' continuations: their first is `more0`.
      if (subrequests[0]?.referenceId === 'more0') chained.push(subrequests.length);
      // The listing's next batch riding in a page's related call (page-related.ts).
      riding += subrequests.filter((r) => r.referenceId === 'listingMore').length;
      return original.call(client, subrequests, readOnly);
    };
    const listed: string[] = [];
    try {
      const listing = await h.adapter.openChanges!(cursor, held ? { prepare: async () => undefined, isKnown: () => true } : known, ids.slice(8_550, 8_560));
      assert.ok(listing.readAlong, 'folded');
      for await (const page of listing.pages(new Map())) listed.push(...page.deals.map((d) => d.crmId));
    } finally {
      client.composite = original;
    }
    return { listed, ids, chained, riding };
  }

  it('asks for every batch the plain query still holds (four of 2,000), three in the first call, when no page has rows to read', async () => {
    const { chained, riding } = await cutListing(true);
    // The folded first batch (about 50 deals), the plain batch of 2,000 read at once, then 6,450 rows: four batches.
    // Three a call (LISTING_BATCHES_PER_CALL): [3, 1]; with the total miscounted the first call asked for one, [1, 3].
    assert.deepEqual(chained, [3, 1]);
    assert.equal(riding, 0);
  });

  it('reads each of those four batches in the related call of the page before it when pages have rows to read', async () => {
    const { listed, ids, chained, riding } = await cutListing(false);
    assert.equal(new Set(listed).size, listed.length, 'each deal once');
    assert.deepEqual([...new Set(listed)].sort(), ids.slice(0, 8_500).sort());
    assert.deepEqual(chained, []);
    assert.equal(riding, 4);
  });
});
