/**
 * The listing keeps 2,000-record batches although an opportunity carries three custom long text fields (a
 * statement selecting two or more comes back 200 records a batch; the sandbox applies the rule): it selects
 * the seller's notes only, and each page's related call reads the connector-kept invitations and outside
 * team for the rows to read (connectors/salesforce/long-text-apart.ts). The deals and their versions are
 * those a full read by ID gives.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { CrmChangePage, CrmDeal } from '../../core/engine/crm-port.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

async function all(pages: AsyncIterable<CrmChangePage>): Promise<CrmChangePage[]> {
  const out: CrmChangePage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

const outside = (i: number) => JSON.stringify([{ FirstName: 'Ms', LastName: `Seller ${i}`, Email: `seller${i}@microsoft.example`, Phone: null }]);
const invitations = (i: number) => JSON.stringify([{ id: `inv-${i}`, partner: { id: `partner-${i}` }, status: 'Pending' }]);
/** What a deal read from the listing must equal, read by ID: everything but `modifiedAt`'s dating by related changes. */
const shape = (d: CrmDeal) => ({ crmId: d.crmId, etag: d.etag, team: d.referral.team, invitations: d.referral.invitations, notes: d.referral.notesToMicrosoft });

describe('Salesforce listing: the connector-kept long text fields are read apart', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];

  before(async () => {
    h = await startSalesforceHarness();
    ids = seedOptedIn(h.sandbox, 1_200);
    for (const [i, id] of ids.entries()) {
      const opp = h.sandbox.store.get('Opportunity', id)!;
      opp[F.notesToMicrosoft] = `notes ${i}`;
      if (i % 3 === 0) opp[F.outsideTeam] = outside(i);
      if (i % 5 === 0) opp[F.invitations] = invitations(i);
      opp[F.referralId] = `ref-${i}`;
    }
  });
  after(() => h?.close());

  it('reads 1,200 opportunities in one listing batch, the kept fields in one more related call, deals as a read by ID gives them', async () => {
    h.sandbox.counters.reset();
    const pages = await all(h.adapter.readChanges(undefined));
    const calls = billedCalls(h.sandbox.counters.snapshot());
    const deals = pages.flatMap((p) => p.deals);
    assert.equal(deals.length, 1_200);
    // The listing in the run's first call, one batch (2,000 a batch: one long text field selected), then the
    // page's related call: its five queries and a sixth for the second kept field, two Composite calls.
    // Selecting all three long text fields, the listing came in six batches of 200 (five Query More calls).
    assert.equal(calls.byEndpoint['query:Opportunity'] ?? 0, 0, JSON.stringify(calls.byEndpoint));
    assert.equal(calls.byEndpoint['composite.query:Opportunity'], 3, 'the listing, the window\'s members with one kept field, the other kept field');
    assert.equal(calls.byEndpoint.composite, 3, JSON.stringify(calls.byEndpoint));
    const byId = await h.adapter.getDeals(ids);
    assert.deepEqual(deals.map(shape).sort((a, b) => a.crmId.localeCompare(b.crmId)), byId.map(shape).sort((a, b) => a.crmId.localeCompare(b.crmId)));
    assert.ok(deals.some((d) => d.referral.team.some((m) => m.email === 'seller3@microsoft.example')));
    assert.ok(deals.some((d) => d.referral.invitations.length > 0));
  });

  it('a page of a few rows to read costs no more calls: the window-members query brings both kept fields', async () => {
    const cursor = (await all(h.adapter.readChanges(undefined))).at(-1)!.cursor;
    // A seller edits three deals' notes; the connector's kept fields of one of them hold an outside seller.
    for (const i of [3, 4, 5]) assert.ok(h.sandbox.seller.editOpportunity(ids[i]!, { [F.notesToMicrosoft]: `edited ${i}` }).ok);
    h.sandbox.counters.reset();
    const deals = (await all(h.adapter.readChanges(cursor))).flatMap((p) => p.deals);
    assert.deepEqual(deals.map((d) => d.crmId).sort(), [ids[3], ids[4], ids[5]].sort());
    assert.ok(deals.find((d) => d.crmId === ids[3])!.referral.team.some((m) => m.email === 'seller3@microsoft.example'));
    assert.deepEqual(deals.find((d) => d.crmId === ids[5])!.referral.invitations.length, 1);
    const calls = billedCalls(h.sandbox.counters.snapshot());
    assert.equal(calls.byEndpoint.composite, 2, `the run's first call and the page's related call: ${JSON.stringify(calls.byEndpoint)}`);
    const byId = await h.adapter.getDeals([ids[3]!, ids[4]!, ids[5]!]);
    assert.deepEqual(deals.map(shape).sort((a, b) => a.crmId.localeCompare(b.crmId)), byId.map(shape).sort((a, b) => a.crmId.localeCompare(b.crmId)));
  });
});

describe('Salesforce listing: the kept long text fields are read for linked records only', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];

  before(async () => {
    h = await startSalesforceHarness();
    // An outbound initial sync's rows: opted-in deals no referral has reached yet; one is a clone holding copies.
    // One team member each: every related query's rows fit one 2,000-record batch (no continuation call).
    ids = seedOptedIn(h.sandbox, 1_200, { teamPerOpportunity: 1 });
    for (const [i, id] of ids.entries()) h.sandbox.store.get('Opportunity', id)![F.notesToMicrosoft] = `notes ${i}`;
    const clone = h.sandbox.store.get('Opportunity', ids[7]!)!;
    clone[F.outsideTeam] = outside(7);
    clone[F.invitations] = invitations(7);
  });
  after(() => h?.close());

  it('reads 1,200 unlinked opportunities in one listing batch and one related call of five queries, deals as a read by ID gives them', async () => {
    h.sandbox.counters.reset();
    const pages = await all(h.adapter.readChanges(undefined));
    const calls = billedCalls(h.sandbox.counters.snapshot());
    const deals = pages.flatMap((p) => p.deals);
    assert.equal(deals.length, 1_200);
    // The rule: a statement with two long text fields comes 200 a batch, a Composite call holds five queries.
    // The page's four related queries and its members query are five: one call, the kept fields not read
    // (a record without a referral ID holds none of its own). Reading them took a sixth query, a second call.
    assert.equal(calls.byEndpoint.composite, 2, `the run's first call and the page's related call: ${JSON.stringify(calls.byEndpoint)}`);
    const byId = await h.adapter.getDeals(ids);
    assert.deepEqual(deals.map(shape).sort((a, b) => a.crmId.localeCompare(b.crmId)), byId.map(shape).sort((a, b) => a.crmId.localeCompare(b.crmId)));
    // The clone's copied outside seller is not read as its own, either way.
    assert.ok(!deals.find((d) => d.crmId === ids[7])!.referral.team.some((m) => m.email === 'seller7@microsoft.example'));
  });
});
