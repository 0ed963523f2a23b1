/**
 * The stage listing rides in the run's first Composite call when that call has a query operation to spare
 * (stage-listing.ts): an initial sync makes no call of its own for the stages; a resumed run's first call
 * carries five query operations already, so its stages are listed on their own; a refused ride keeps nothing.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { CrmCursor, CrmStage } from '../../core/engine/crm-port.js';
import type { SalesforceAdapter } from '../../connectors/salesforce/index.js';
import { StageCache } from '../../connectors/stage-cache.js';
import { stageRider } from '../../connectors/salesforce/stage-listing.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

/** One full change listing from `cursor`: its deals and the cursor it ends at. */
async function listing(adapter: SalesforceAdapter, cursor?: CrmCursor) {
  const deals = [];
  let last = cursor;
  for await (const page of adapter.readChanges(cursor)) {
    deals.push(...page.deals);
    last = page.cursor ?? last;
  }
  return { deals, cursor: last };
}

describe('Salesforce adapter: the stage listing riding in the first call', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  it('an initial sync lists the stages in its first Composite call, not in a call of their own', async () => {
    h = await startSalesforceHarness();
    seedOptedIn(h.sandbox, 3);
    const { deals } = await listing(h.adapter);
    const counts = h.sandbox.counters.snapshot();
    assert.equal(deals.length, 3);
    assert.deepEqual(deals.flatMap((d) => d.problems), [], 'every stage mapped from the listed stages');
    assert.equal(counts['query:OpportunityStage'] ?? 0, 0, `no stage query of its own: ${JSON.stringify(counts)}`);
    assert.equal(counts['composite.query:OpportunityStage'], 1);
    // The first call, one page's related call: the stages cost no call.
    assert.equal(billedCalls(counts).total, counts.composite, `only Composite calls: ${JSON.stringify(counts)}`);
  });

  it('a resumed run whose first call has no query operation to spare lists the stages on their own', async () => {
    h = await startSalesforceHarness();
    const [id] = seedOptedIn(h.sandbox, 2) as [string, string];
    const { cursor } = await listing(h.adapter);
    h.sandbox.seller.editOpportunity(id, { Description: 'a seller edit' });
    // A new adapter (a restart): no stages kept.
    const later = h.makeAdapter();
    h.sandbox.counters.reset();
    const { deals } = await listing(later, cursor);
    const counts = h.sandbox.counters.snapshot();
    assert.ok(deals.some((d) => d.crmId === id && d.problems.length === 0));
    assert.equal(counts['query:OpportunityStage'], 1, `one stage query of its own: ${JSON.stringify(counts)}`);
    assert.equal(counts['composite.query:OpportunityStage'] ?? 0, 0);
  });

  it('keeps the riding answer when Salesforce gave it, nothing when it refused it', () => {
    const row = { MasterLabel: 'Prospecting', ApiName: 'Prospecting', IsActive: true, IsClosed: false, IsWon: false, DefaultProbability: 10 };
    const cacheOf = () => new StageCache<CrmStage[]>(async () => [], (stages, name) => stages.some((s) => s.name === name), () => 0);
    const kept = cacheOf();
    stageRider(kept)!.accept({ referenceId: 'stages', httpStatusCode: 200, body: { totalSize: 1, done: true, records: [row] } });
    assert.ok(kept.isKept());
    assert.equal(stageRider(kept), undefined, 'a kept list rides no more');
    const refused = cacheOf();
    stageRider(refused)!.accept({ referenceId: 'stages', httpStatusCode: 400, body: [{ errorCode: 'INVALID_TYPE', message: 'sObject type OpportunityStage is not supported' }] });
    assert.equal(refused.isKept(), false);
    stageRider(refused)!.accept(undefined);
    assert.equal(refused.isKept(), false);
  });
});
