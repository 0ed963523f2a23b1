/**
 * Reading deals by ID when a paged subquery's locator has expired (deals-by-id.ts, composite-queries.ts):
 * Salesforce answers Query More on it with INVALID_QUERY_LOCATOR, and the read re-reads that parent's rows
 * of that relationship with a plain query (paged like any other) instead of failing. The sandbox expires a
 * query's locators two days after the query ran (sandbox/salesforce/README.md); the test moves its clock that
 * far between the first Composite call (the opportunities with their first child batches) and the next one
 * (the child continuations), as a reader paused that long would see.
 */
import assert from 'node:assert/strict';
import { SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import { LOCATOR_LIFETIME_MS } from '../../sandbox/salesforce/query-pages.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

/**
 * Reads `ids` by ID, the sandbox clock moved past every open locator's lifetime once the client's first
 * Composite call has been answered (counters reset before), and checks the deals against a read without expiry.
 */
async function readWithLocatorsExpiring(h: SalesforceHarness, ids: readonly string[], expected: readonly CrmDeal[]): Promise<CrmDeal[]> {
  const client = h.adapter.client;
  const original = client.composite;
  let calls = 0;
  client.composite = async (...args) => {
    const answer = await original.apply(client, args);
    if ((calls += 1) === 1) h.sandbox.clock.advance(LOCATOR_LIFETIME_MS);
    return answer;
  };
  h.sandbox.counters.reset();
  let deals: CrmDeal[];
  try {
    deals = await h.adapter.getDeals(ids);
  } finally {
    client.composite = original;
  }
  assert.deepEqual(deals.map((d) => d.crmId), ids);
  for (const [i, deal] of deals.entries()) assert.deepStrictEqual(deal, expected[i], deal.crmId);
  return deals;
}

describe('Salesforce getDeals: a paged subquery whose locator expired', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];
  let busy: string;
  let crowded: string;
  let expected: CrmDeal[];

  before(async () => {
    h = await startSalesforceHarness();
    const store = h.sandbox.store;
    ids = seedOptedIn(h.sandbox, 240, { teamPerOpportunity: 2 });
    // 450 solutions and 250 team members: each child result comes back in 200-row batches.
    busy = ids[5]!;
    const users = store.all('User');
    for (let i = 0; i < 449; i += 1) insertRaw(store, SOLUTION_OBJECT, { [SOLUTION_PARENT_FIELD]: busy, Name: `Solution extra ${i}` });
    for (let i = 0; i < 248; i += 1) insertRaw(store, 'OpportunityTeamMember', { OpportunityId: busy, UserId: users[i % users.length]!.Id, TeamMemberRole: 'Sales Rep' });
    // 2,500 solutions in the second deal query: re-read with a plain query, they take a 2,000-row page and a Query More.
    crowded = ids[230]!;
    for (let i = 0; i < 2_499; i += 1) insertRaw(store, SOLUTION_OBJECT, { [SOLUTION_PARENT_FIELD]: crowded, Name: `Crowded ${i}` });
    // What a read with no locator expiring gives (the stage list is read and cached too).
    expected = await h.adapter.getDeals(ids);
    assert.equal(expected.find((d) => d.crmId === busy)!.referral.solutions.length, 450);
    assert.equal(expected.find((d) => d.crmId === crowded)!.referral.solutions.length, 2_500);
  });
  after(() => h?.close());

  it('re-reads the expired child rows with a plain query and reads every deal as a read without expiry does', async () => {
    const deals = await readWithLocatorsExpiring(h, ids, expected);
    const solutionsOf = (id: string) => deals.find((d) => d.crmId === id)!.referral.solutions;
    assert.equal(solutionsOf(busy).length, 450, 'every solution once: the rows of the first batch are not doubled');
    assert.equal(solutionsOf(crowded).length, 2_500);
    assert.equal(deals.find((d) => d.crmId === busy)!.referral.team.length >= 250, true);
    // The opportunities come in two deal queries of 120 IDs (one long text field each: 2,000 records a batch)
    // beside the invitation rows and the two kept fields, one call; the child results found expired in the
    // next call are re-read with plain queries (the busy deal's 450 solutions in 200-row batches, the crowded
    // deal's 2,500 in a 2,000-row page and a Query More). Selecting every long text field in one statement
    // (200 records a batch) this read cost 16 calls; at 2,000 a batch before the sandbox applied the rule, 4.
    assert.deepEqual(h.sandbox.counters.snapshot(), { token: 1, composite: 4, 'composite.query:Opportunity': 4, 'composite.query:Cosell_Partner_Invitation__c': 1, 'composite.query:Cosell_Solution__c': 3, 'composite.query:OpportunityTeamMember': 1 });
  });

  it('starts a deal query again when the locator of its own second page expired, and reads each deal once', async () => {
    // Twenty deals of 150 solutions: their child rows fill a 2,000-row page after 12 of them.
    const heavy = seedOptedIn(h.sandbox, 20, { teamPerOpportunity: 2 });
    for (const id of heavy) for (let i = 0; i < 149; i += 1) insertRaw(h.sandbox.store, SOLUTION_OBJECT, { [SOLUTION_PARENT_FIELD]: id, Name: `Heavy ${i}` });
    const wanted = [...heavy, ...ids.slice(10, 30)];
    const deals = await readWithLocatorsExpiring(h, wanted, await h.adapter.getDeals(wanted));
    assert.ok(deals.slice(0, 20).every((d) => d.referral.solutions.length === 150));
    // The second page's locator was refused: the query ran again from its first page. The 20 heavy deals are
    // the first deal query's (the call's 40 IDs split in two): 3,080 records, two 2,000-record pages. Calls: the
    // read, the refused Query More, the query again, its Query More. Selecting every long text field in one
    // statement (200 records a page) it took 23; before the sandbox applied that rule (2026-12-07), 3.
    assert.deepEqual(h.sandbox.counters.snapshot(), { token: 1, composite: 4, 'composite.query:Opportunity': 6, 'composite.query:Cosell_Partner_Invitation__c': 1 });
  });
});
