/**
 * Calls grow with pages, not records: 10,000 changed opportunities (each with a primary contact role,
 * two team members and a solution) are read and 10,000 status updates written back, and the sandbox's
 * call counters show the listing's batches after the first in one call, at most 2 related-record calls per
 * page and at most 50 write calls.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { CrmDeal, CrmWrite } from '../../core/engine/crm-port.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce adapter at 10,000 opportunities', function () {
  this.timeout(90_000);
  let h: SalesforceHarness;

  before(async () => {
    h = await startSalesforceHarness();
    seedOptedIn(h.sandbox, 10_000, { teamPerOpportunity: 2, sameStampGroup: 7 });
    h.sandbox.counters.reset();
  });
  after(() => h?.close());

  it('reads them with their related records and writes 10,000 statuses back in few calls', async () => {
    const deals: CrmDeal[] = [];
    let pages = 0;
    for await (const page of h.adapter.readChanges(undefined)) {
      // The last page carries only the window's anchor (feed-window.ts).
      if (page.deals.length > 0) pages += 1;
      deals.push(...page.deals);
    }
    const read = h.sandbox.counters.snapshot();
    assert.equal(deals.length, 10_000);
    assert.equal(new Set(deals.map((d) => d.crmId)).size, 10_000, 'no duplicates');
    assert.equal(pages, 5);
    // The stages are listed once, riding in the first call (stage-listing.ts).
    assert.equal(read['composite.query:OpportunityStage'], 1);
    assert.equal(read['query:OpportunityStage'] ?? 0, 0);
    // The feed's first request is a Composite call that carries the listing's first batch (first-round.ts); its
    // four batches after that come in two Composite calls of three and one (listing-more.ts), not one Query More
    // each; at most two related-row calls per page.
    assert.equal(read['query:Opportunity'] ?? 0, 0, `no Query More of its own: ${JSON.stringify(read)}`);
    assert.ok((read.composite ?? 0) <= 2 * pages + 3, `related calls: ${read.composite} for ${pages} pages`);
    for (const d of deals) {
      assert.equal(d.referral.team.length, 2, `team of ${d.crmId}`);
      assert.ok(d.referral.customerContact?.email, `contact of ${d.crmId}`);
      assert.equal(d.referral.solutions.length, 1, `solutions of ${d.crmId}`);
      assert.ok(d.referral.customer.name);
    }

    h.sandbox.counters.reset();
    const writes: CrmWrite[] = deals.map((d) => ({ kind: 'status', key: d.crmId, crmId: d.crmId, status: { state: 'synced', message: '', lastSyncedAt: '2026-11-23T12:00:00.000Z' } }));
    const results: Awaited<ReturnType<typeof h.adapter.write>> = [];
    for (let i = 0; i < writes.length; i += h.adapter.maxBatchSize) results.push(...(await h.adapter.write(writes.slice(i, i + h.adapter.maxBatchSize))));
    assert.equal(results.filter((r) => r.ok).length, 10_000);
    const written = h.sandbox.counters.snapshot();
    // One billed call per 200: a Composite call with the version check and the collection PATCH (write.ts).
    assert.ok(billedCalls(written).total <= 50, `write calls: ${JSON.stringify(written)}`);
    assert.equal(written['composite.composite/sobjects:PATCH'], 50);
    assert.ok(h.sandbox.store.all('Opportunity').every((o) => o.Cosell_Sync_State__c === 'synced'));
  });
});
