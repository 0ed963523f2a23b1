/**
 * The folded listing's related rows read by the first call's related-change queries
 * (connectors/salesforce/fold-related.ts, issue 13). A 1% cycle at 5,000 deals asks the listing's first call
 * for 50 records and lists 50 seller edits: 100 deals with three related rows each. As subqueries of the folded
 * query (which selects custom long text fields: 200 records a batch, child rows counted) they were two batches,
 * the second a call of its own; read by the related-change queries (2,000 rows a batch) they are one call.
 * The deals read along must be those a read by ID gives, and a related row read only for its deal must not
 * count as a related change, while a real one still does.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import { foldCondition, isRelatedChange } from '../../connectors/salesforce/fold-related.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';
import { allPages, firstRun } from '../helpers/first-listing.js';

const MINUTE = 60_000;

describe('Salesforce folded listing: the related rows come with the related-change queries', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  it('reads 50 asked deals and 50 listed ones complete in the first call, as a read by ID gives them', async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 2000 } });
    h.sandbox.clock.advance(-10 * MINUTE);
    const ids = seedOptedIn(h.sandbox, 300, { teamPerOpportunity: 1 });
    h.sandbox.clock.advance(10 * MINUTE);
    const { cursor, known } = await firstRun(h.adapter);
    h.sandbox.clock.advance(MINUTE);
    const edited = ids.slice(0, 50);
    for (const id of edited) assert.deepEqual(h.sandbox.seller.editOpportunity(id, { NextStep: 'Edited' }), { ok: true });
    const asked = ids.slice(100, 150);
    // A seller's change to a team member of a deal neither asked nor listed: still a related change.
    const [member] = h.sandbox.store.all('OpportunityTeamMember').filter((m) => m.OpportunityId === ids[200]);
    assert.ok(member);
    assert.deepEqual(h.sandbox.seller.editRecord('OpportunityTeamMember', member.Id, { TeamMemberRole: 'Sales Manager' }), { ok: true });
    h.sandbox.clock.advance(MINUTE);

    h.sandbox.counters.reset();
    const listing = await h.adapter.openChanges!(cursor, known, asked);
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 1, `one call: ${JSON.stringify(h.sandbox.counters.snapshot())}`);
    assert.ok(listing.readAlong);
    assert.deepEqual([...listing.readAlong.asked].sort(), [...asked].sort());
    assert.deepEqual([...(listing.toRead ?? [])].sort(), [...edited, ids[200]!].sort(), 'the listed edits and the deal whose team member changed');
    const readAlong = new Map(listing.readAlong.deals.map((d) => [d.crmId, d]));
    assert.deepEqual([...readAlong.keys()].sort(), [...asked, ...edited].sort(), 'the asked and listed deals, not the one changed through its team member alone');
    const byId = new Map((await h.adapter.getDeals([...readAlong.keys()])).map((d) => [d.crmId, d]));
    for (const [id, deal] of readAlong) {
      assert.equal(deal.etag, byId.get(id)?.etag, id);
      assert.deepEqual(deal.referral, byId.get(id)?.referral, id);
      assert.ok((deal.referral.team ?? []).length > 0 || (byId.get(id)?.referral.team ?? []).length === 0, `${id}: its team member read along`);
    }

    h.sandbox.counters.reset();
    const engineReads = new Map<string, CrmDeal>([...readAlong].filter(([id]) => listing.toRead?.includes(id)));
    const pages = await allPages(listing.pages(engineReads));
    const handed = pages.flatMap((p) => p.deals);
    assert.deepEqual(handed.map((d) => d.crmId).sort(), [...edited, ids[200]!].sort());
    const related = handed.find((d) => d.crmId === ids[200]);
    assert.ok(related && Date.parse(related.modifiedAt) > Date.parse(byId.get(edited[0]!)!.modifiedAt) - MINUTE, 'dated by its related change');
    // The deal changed through its team member alone is read by ID; the listed ones come from the first call.
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 1);
  });
});

describe('Salesforce folded listing: a related row read for its deal, told from a change', () => {
  const user = '0055g0000000001AAA';
  const test = { since: '2026-01-01T10:00:00.000Z', own: { userId: user, ownThrough: '2026-01-01T10:05:00.000Z' } };
  const row = (stamp: string, by: string, contactStamp = '2025-01-01T00:00:00.000+0000') => ({ Id: '00q5g0000000001AAA', SystemModstamp: stamp, LastModifiedById: by, Contact: { SystemModstamp: contactStamp } });

  it('counts a row saved in the window by someone else, not one saved before it or by the connector', () => {
    assert.equal(isRelatedChange('team', row('2026-01-01T10:01:00.000+0000', '0055g0000000002AAA'), test), true);
    assert.equal(isRelatedChange('team', row('2026-01-01T09:59:00.000+0000', '0055g0000000002AAA'), test), false);
    assert.equal(isRelatedChange('team', row('2026-01-01T10:01:00.000+0000', user), test), false, "the connector's own save before ownThrough");
    assert.equal(isRelatedChange('team', row('2026-01-01T10:05:00.000+0000', user), test), true, 'at ownThrough');
    assert.equal(isRelatedChange('team', row('2026-01-01T10:01:00.000+0000', user), { since: test.since }), true, 'no own-writes condition');
  });

  it("counts a contact role by its contact's stamp too, whoever saved the role", () => {
    assert.equal(isRelatedChange('contactRoles', row('2025-01-01T00:00:00.000+0000', user, '2026-01-01T10:02:00.000+0000'), test), true);
    assert.equal(isRelatedChange('team', row('2025-01-01T00:00:00.000+0000', user, '2026-01-01T10:02:00.000+0000'), test), false);
  });

  it('names the asked deals and the window through the parent relationship, never with a semi-join', () => {
    const fold = { ids: ['0065g0000000001AAA'], since: test.since, own: { ...test.own, recheck: ['0065g0000000002AAA'] } };
    const solutions = foldCondition('solutions', fold);
    assert.match(solutions, /^Opportunity__c IN \('0065g0000000001AAA'\) OR \(Opportunity__r\.SystemModstamp >= 2026-01-01T10:00:00\.000Z AND \(/);
    assert.match(solutions, /Opportunity__r\.LastModifiedById != '0055g0000000001AAA'/);
    assert.match(solutions, /Opportunity__c IN \('0065g0000000002AAA'\)\)\)$/);
    assert.doesNotMatch(foldCondition('team', fold), /SELECT/);
    assert.match(foldCondition('team', { ids: [], since: test.since }), /^\(Opportunity\.SystemModstamp >= 2026-01-01T10:00:00\.000Z\)$/);
  });
});
