/**
 * A listing page's related call (connectors/salesforce/page-related.ts): a bulk page's members statement, which
 * selects no long text field, carries the partner invitations as a subquery, so the call holds four statements
 * (five with one query of the kept fields for up to 200 linked rows) where it held five (six: two calls). The
 * deals read must be the same as a read by ID gives them, invitation rows included.
 */
import assert from 'node:assert/strict';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import { pageRelatedQueries } from '../../connectors/salesforce/page-related.js';
import { F, INVITATION_FIELDS, INVITATION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { billedCalls } from '../../bench/billing.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

async function all<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

const rows = (n: number, linked = 0) => Array.from({ length: n }, (_, i) => ({ Id: `006${String(i).padStart(12, '0')}`, ...(i < linked ? { [F.referralId]: `ref-${i}` } : {}) }));
const shape = (d: CrmDeal) => ({ crmId: d.crmId, etag: d.etag, invitations: d.referral.invitations, team: d.referral.team, solutions: d.referral.solutions });
const byCrmId = (a: { crmId: string }, b: { crmId: string }) => a.crmId.localeCompare(b.crmId);

describe('Salesforce page related call: layout', () => {
  it('folds the invitations into a members statement without long text, and keeps them apart otherwise', () => {
    const bulk = pageRelatedQueries('SystemModstamp > 2026-01-01T00:00:00Z', rows(1_000));
    assert.deepEqual(Object.keys(bulk).sort(), ['contactRoles', 'solutions', 'team', 'window']);
    assert.match(bulk.window!, /^SELECT Id, SystemModstamp, \(SELECT .* FROM Cosell_Partner_Invitations__r ORDER BY Id ASC\) FROM Opportunity WHERE /);
    const someLinked = pageRelatedQueries('SystemModstamp > 2026-01-01T00:00:00Z', rows(1_000, 150));
    assert.deepEqual(Object.keys(someLinked).sort(), ['apart', 'contactRoles', 'solutions', 'team', 'window']);
    assert.match(someLinked.window!, /Cosell_Partner_Invitations__r/);
    // The members statement selects long text (the kept fields): a subquery's notes would make its batch 200.
    for (const layout of [pageRelatedQueries('SystemModstamp > 2026-01-01T00:00:00Z', rows(150)), pageRelatedQueries('SystemModstamp > 2026-01-01T00:00:00Z', rows(1_000, 500))]) {
      assert.ok('invitations' in layout);
      assert.doesNotMatch(layout.window!, /Cosell_Partner_Invitations__r/);
    }
  });
});

describe('Salesforce page related call: invitations in the members statement', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];

  before(async () => {
    h = await startSalesforceHarness();
    ids = seedOptedIn(h.sandbox, 1_200, { teamPerOpportunity: 1 });
    // 100 linked deals (their kept fields read in one more statement), and a seller's partner invitations on every seventh.
    for (const [i, id] of ids.entries()) {
      if (i % 12 === 0) h.sandbox.store.get('Opportunity', id)![F.referralId] = `ref-${i}`;
      if (i % 7 === 0) insertRaw(h.sandbox.store, INVITATION_OBJECT, { [SOLUTION_PARENT_FIELD]: id, Name: 'Invitation', [INVITATION_FIELDS.partnerId]: `PARTNER-${i}`, [INVITATION_FIELDS.notes]: `Invite ${i}` });
    }
  });
  after(() => h?.close());

  it('reads a page of 1,200 deals, 100 linked, in one related call, deals as a read by ID gives them', async () => {
    h.sandbox.counters.reset();
    const deals = (await all(h.adapter.readChanges(undefined))).flatMap((p) => p.deals);
    const calls = billedCalls(h.sandbox.counters.snapshot());
    assert.equal(deals.length, 1_200);
    // The run's first call and the page's related call; with the invitations a query of their own the related
    // call held six statements, two Composite calls.
    assert.equal(calls.byEndpoint.composite, 2, JSON.stringify(calls.byEndpoint));
    assert.equal(calls.byEndpoint[`composite.query:${INVITATION_OBJECT}`] ?? 0, 0, 'no invitation statement of its own');
    const byId = await h.adapter.getDeals(ids);
    assert.deepEqual(deals.map(shape).sort(byCrmId), byId.map(shape).sort(byCrmId));
    assert.ok(deals.filter((d) => d.referral.invitations.length > 0).length >= 150, 'the seller\'s invitations are read');
  });
});
