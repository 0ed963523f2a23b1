/**
 * The opportunity stages are kept an hour (connectors/stage-cache.ts): a daemon turn 6 minutes after the
 * last lists no stages; a stage an admin adds is listed at once by the run whose record names it.
 */
import assert from 'node:assert/strict';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';
import { laterClock } from '../helpers/later-clock.js';
import { runDeals } from '../helpers/run-deals.js';

describe('Salesforce adapter: the stage list kept across runs', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  const clock = laterClock();
  afterEach(() => {
    clock.restore();
    return h?.close();
  });

  it('a run 6 minutes after the last lists no stages', async () => {
    h = await startSalesforceHarness();
    seedOptedIn(h.sandbox, 2);
    assert.equal((await runDeals(h.adapter)).length, 2);
    // Listed once, riding in the initial sync's first call (stage-listing.ts).
    assert.equal(h.sandbox.counters.get('composite.query:OpportunityStage'), 1);
    clock.advance(6 * 60_000);
    h.sandbox.seller.editOpportunity(seedOptedIn(h.sandbox, 1)[0]!, { Description: 'a seller edit' });
    assert.ok((await runDeals(h.adapter)).length >= 1);
    assert.equal(h.sandbox.counters.get('composite.query:OpportunityStage'), 1, 'the second run used the kept list');
    assert.equal(h.sandbox.counters.get('query:OpportunityStage') ?? 0, 0);
  });

  it('a stage added after the list was kept is listed by the run that reads it, once', async () => {
    h = await startSalesforceHarness();
    const [id, other] = seedOptedIn(h.sandbox, 2) as [string, string];
    await runDeals(h.adapter);
    insertRaw(h.sandbox.store, 'OpportunityStage', { MasterLabel: 'Technical Win', ApiName: 'Technical Win', IsActive: true, IsClosed: false, IsWon: false, DefaultProbability: 65, SortOrder: 12 });
    insertRaw(h.sandbox.store, 'OpportunityStage', { MasterLabel: 'Legal Review', ApiName: 'Legal Review', IsActive: true, IsClosed: false, IsWon: false, DefaultProbability: null, SortOrder: 13 });
    h.sandbox.seller.editOpportunity(id, { StageName: 'Technical Win' });
    h.sandbox.seller.editOpportunity(other, { StageName: 'Legal Review' });
    h.sandbox.counters.reset();
    const deals = await runDeals(h.adapter);
    const deal = deals.find((d) => d.crmId === id)!;
    assert.equal(deal.referral.salesStage, 'Proposed', 'mapped by the new stage\'s probability');
    assert.deepEqual(deal.problems, []);
    assert.equal(h.sandbox.counters.get('query:OpportunityStage'), 1, 'one listing for the run');
    // A stage no mapping knows is a mapping problem, and lists nothing more in the runs that meet it again.
    assert.deepEqual(deals.find((d) => d.crmId === other)!.problems.map((p) => p.code), ['stage.unmapped']);
  });
});
