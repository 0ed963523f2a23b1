/**
 * Review of the fold (connectors/salesforce/fold-related.ts): deals read along with the first call's
 * related-change queries must be those a read by ID gives, also for a deleted contact role (QueryAll lists it,
 * IsDeleted), a non-primary role, a solution moved to another deal, a team member the connector wrote itself,
 * and a deal changed only by the connector (read along only when asked).
 */
import assert from 'node:assert/strict';
import { SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { isRelatedChange } from '../../connectors/salesforce/fold-related.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';
import { firstRun } from '../helpers/first-listing.js';
import { billedCalls } from '../../bench/billing.js';

const MINUTE = 60_000;

describe('Salesforce folded listing: deals read along as a read by ID gives them (edge cases)', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());
  /** Opted-in deals seeded ten minutes ago, and a first run read to its end. */
  async function seededAndRead(count: number, teamPerOpportunity: number) {
    h = await startSalesforceHarness({ adapter: { pageSize: 2000 } });
    h.sandbox.clock.advance(-10 * MINUTE);
    const ids = seedOptedIn(h.sandbox, count, { teamPerOpportunity });
    h.sandbox.clock.advance(10 * MINUTE);
    return { ids, ...(await firstRun(h.adapter)) };
  }

  it('with deleted, non-primary and moved related rows', async () => {
    const { ids, cursor, known } = await seededAndRead(120, 2);
    h.sandbox.clock.advance(MINUTE);
    const store = h.sandbox.store;
    const roleOf = (id: string) => store.all('OpportunityContactRole').find((r) => r.OpportunityId === id && r.IsPrimary === true);
    const asked = ids.slice(0, 10);
    const edited = ids.slice(20, 30);
    for (const id of edited) assert.deepEqual(h.sandbox.seller.editOpportunity(id, { NextStep: 'Edited' }), { ok: true });
    // Asked and listed deals: primary role deleted (Recycle Bin), a non-primary role added, a solution moved.
    for (const id of [asked[0]!, edited[0]!]) assert.deepEqual(h.sandbox.seller.deleteRecord(String(roleOf(id)!.Id)), { ok: true });
    for (const id of [asked[1]!, edited[1]!]) {
      const primary = roleOf(id)!;
      insertRaw(store, 'OpportunityContactRole', { OpportunityId: id, ContactId: primary.ContactId, Role: 'Influencer', IsPrimary: false }, undefined, String(store.get('Opportunity', id)!.OwnerId));
    }
    const solutionOf = (id: string) => store.all(SOLUTION_OBJECT).find((s) => s[SOLUTION_PARENT_FIELD] === id)!;
    assert.deepEqual(h.sandbox.seller.editRecord(SOLUTION_OBJECT, String(solutionOf(asked[2]!).Id), { [SOLUTION_PARENT_FIELD]: edited[2]! }), { ok: true });
    assert.deepEqual(h.sandbox.seller.editRecord(SOLUTION_OBJECT, String(solutionOf(edited[3]!).Id), { [SOLUTION_PARENT_FIELD]: asked[3]! }), { ok: true });
    // A team member deleted from an asked deal, one the connector itself (integration user) adds to another.
    const member = store.all('OpportunityTeamMember').find((m) => m.OpportunityId === asked[4]);
    assert.deepEqual(h.sandbox.seller.deleteRecord(String(member!.Id)), { ok: true });
    const other = store.all('OpportunityTeamMember').find((m) => m.OpportunityId === asked[6]);
    insertRaw(store, 'OpportunityTeamMember', { OpportunityId: asked[5]!, UserId: other!.UserId, TeamMemberRole: 'Sales Rep' });
    h.sandbox.clock.advance(MINUTE);

    h.sandbox.counters.reset();
    const listing = await h.adapter.openChanges!(cursor, known, asked);
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 1, 'the fold taken: one call');
    assert.ok(listing.readAlong);
    const readAlong = new Map(listing.readAlong.deals.map((d) => [d.crmId, d]));
    assert.deepEqual([...readAlong.keys()].sort(), [...asked, ...edited].sort());
    const byId = new Map((await h.adapter.getDeals([...readAlong.keys()])).map((d) => [d.crmId, d]));
    for (const [id, deal] of readAlong) {
      assert.deepEqual(deal.referral, byId.get(id)?.referral, id);
      assert.equal(deal.etag, byId.get(id)?.etag, id);
    }
  });

  it("neither invents a related change from a row the connector saved before ownThrough, nor drops the row from its deal", async () => {
    const { ids, cursor, known } = await seededAndRead(60, 1);
    const store = h.sandbox.store;
    const [asked, listed, seen] = [ids[0]!, ids[1]!, ids[2]!];
    const userOf = store.all('OpportunityTeamMember').find((m) => m.OpportunityId === ids[3])!.UserId;
    // The connector's own saves (integration user) inside the next window, before its own-writes mark.
    const ownAt = new Date(h.sandbox.clock.now().getTime() - MINUTE).toISOString();
    for (const id of [asked, listed, seen]) insertRaw(store, 'OpportunityTeamMember', { OpportunityId: id, UserId: userOf, TeamMemberRole: 'Sales Rep' }, ownAt);
    h.sandbox.clock.advance(MINUTE);
    assert.deepEqual(h.sandbox.seller.editOpportunity(listed, { NextStep: 'Edited' }), { ok: true });
    h.sandbox.clock.advance(MINUTE);

    const listing = await h.adapter.openChanges!(cursor, known, [asked]);
    assert.ok(listing.readAlong);
    assert.deepEqual([...(listing.toRead ?? [])], [listed], 'only the seller-edited deal: no related change of our own');
    const byId = new Map((await h.adapter.getDeals([asked, listed])).map((d) => [d.crmId, d]));
    for (const deal of listing.readAlong.deals) {
      assert.deepEqual(deal.referral, byId.get(deal.crmId)?.referral, deal.crmId);
      assert.equal((deal.referral.team ?? []).length, (byId.get(deal.crmId)?.referral.team ?? []).length);
    }
  });

  it('finds the related changes the plain queries find: rows saved at the window start, just before it, at ownThrough and just before it, and a shared contact', async () => {
    const { ids, cursor, known } = await seededAndRead(40, 1);
    const anchor = cursor as { readAt: string; ownThrough: string };
    assert.ok(anchor.readAt && anchor.ownThrough);
    const since = Date.parse(anchor.readAt) - 300_000;
    const ownThrough = Date.parse(anchor.ownThrough);
    const store = h.sandbox.store;
    const seller = String(store.get('Opportunity', ids[0]!)!.OwnerId);
    const user = store.all('OpportunityTeamMember').find((m) => m.OpportunityId === ids[30])!.UserId;
    const iso = (ms: number) => new Date(ms).toISOString();
    // [deal index, stamp, saved by the seller (else the connector)]; deals 0-5 asked, 10-15 not.
    const saves: [number, number, boolean][] = [
      [0, since, true], [1, since - 1000, true], [2, ownThrough, false], [3, ownThrough - 1000, false], [4, since, false],
      [10, since, true], [11, since - 1000, true], [12, ownThrough, false], [13, ownThrough - 1000, false], [14, since, false],
    ];
    for (const [i, at, bySeller] of saves) insertRaw(store, 'OpportunityTeamMember', { OpportunityId: ids[i]!, UserId: user, TeamMemberRole: 'Sales Rep' }, iso(at), bySeller ? seller : undefined);
    // A contact a seller saves, primary on an asked deal and on others.
    const role = store.all('OpportunityContactRole').find((r) => r.OpportunityId === ids[5] && r.IsPrimary === true)!;
    assert.deepEqual(h.sandbox.seller.editRecord('Contact', String(role.ContactId), { Phone: '+1 425 555 0199' }), { ok: true });
    const sharing = store.all('OpportunityContactRole').filter((r) => r.ContactId === role.ContactId && r.IsPrimary === true).map((r) => ids.indexOf(String(r.OpportunityId)));
    h.sandbox.clock.advance(MINUTE);
    h.sandbox.counters.reset();
    const folded = await h.adapter.openChanges!(cursor, known, ids.slice(0, 6));
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 1, 'the fold taken');
    const plain = await h.adapter.openChanges!(cursor, known, []);
    assert.ok(folded.readAlong);
    assert.deepEqual([...(folded.toRead ?? [])].sort(), [...(plain.toRead ?? [])].sort());
    const expected = [...new Set([0, 2, 10, 12, ...sharing])].map((i) => ids[i]!);
    assert.deepEqual([...(folded.toRead ?? [])].filter((id) => ids.includes(id)).sort(), expected.sort());
  });
});

describe('Salesforce folded listing: the change test with 15- and 18-character user IDs', () => {
  it("tells the connector's own save whichever form either ID has, and not another user's", () => {
    const long = '0055g0000000001AAA';
    const row = (by: string) => ({ Id: '00q5g0000000001AAA', SystemModstamp: '2026-01-01T10:01:00.000+0000', LastModifiedById: by });
    for (const userId of [long, long.slice(0, 15)]) {
      const test = { since: '2026-01-01T10:00:00.000Z', own: { userId, ownThrough: '2026-01-01T10:05:00.000Z' } };
      assert.equal(isRelatedChange('team', row(long), test), false, userId);
      assert.equal(isRelatedChange('team', row(long.slice(0, 15)), test), false, userId);
      assert.equal(isRelatedChange('team', row('0055g0000000002AAA'), test), true, userId);
    }
  });
});
