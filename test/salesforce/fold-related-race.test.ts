/**
 * Review of the fold (connectors/salesforce/fold-related.ts): a seller deleting a related row inside the
 * first call, after the related-change query of its kind ran. The deal read along with the fold misses it;
 * the next run must list the deal and hand the seller's row (the related row is never taken for read).
 *
 * A related-change query that comes in more than one batch with the fold is asked again without it, in a call
 * of its own (first-round.ts). The next window is anchored to the server's time when the listing was read
 * (read.ts `readAt`); taken after that second call, a seller's save between the two calls, after the listing's
 * statement, fell before the next window (rereadSeconds: 0) and was never listed.
 */
import assert from 'node:assert/strict';
import type { CrmCursor, KnownVersions } from '../../core/engine/crm-port.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';
import { allPages } from '../helpers/first-listing.js';

const MINUTE = 60_000;

describe('Salesforce folded listing: a seller save racing the first call', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  /** Opted-in deals seeded ten minutes ago, a first run read to its end, and the versions it handed on. */
  async function seededAndRead(count: number, teamPerOpportunity: number, rereadSeconds: number) {
    h = await startSalesforceHarness({ adapter: { pageSize: 2000, rereadSeconds } });
    h.sandbox.clock.advance(-10 * MINUTE);
    const ids = seedOptedIn(h.sandbox, count, { teamPerOpportunity });
    h.sandbox.clock.advance(10 * MINUTE);
    const versions = new Map<string, string>();
    const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => versions.get(id) === version };
    let first: CrmCursor | undefined;
    for await (const page of h.adapter.readChanges(undefined, known)) {
      first = page.cursor;
      for (const d of page.deals) versions.set(d.crmId, d.etag!);
    }
    return { ids, versions, known, first };
  }

  for (const after of ['listing', 'team', 'invitations']) {
    it(`deleting the team member of an asked deal, after the ${after} statement: handed this run or the next`, async () => {
      const { ids, versions, known, first } = await seededAndRead(60, 1, 10);
      let cursor = first;
      h.sandbox.clock.advance(MINUTE);
      const target = ids[0]!;
      const asked = ids.slice(0, 5);
      for (const id of ids.slice(10, 15)) assert.deepEqual(h.sandbox.seller.editOpportunity(id, { NextStep: 'Edited' }), { ok: true });
      const member = h.sandbox.store.all('OpportunityTeamMember').find((m) => m.OpportunityId === target)!;
      let raced = false;
      h.sandbox.store.afterCompositeSubrequest = (_method, _path, ref) => {
        if (ref !== after || raced) return;
        raced = true;
        assert.deepEqual(h.sandbox.seller.deleteRecord(String(member.Id)), { ok: true });
      };
      const listing = await h.adapter.openChanges!(cursor, known, asked);
      h.sandbox.store.afterCompositeSubrequest = undefined;
      assert.ok(raced && listing.readAlong);
      const teamOf = (team: unknown) => JSON.stringify(team);
      const along = listing.readAlong.deals.find((d) => d.crmId === target)!;
      const pages = await allPages(listing.pages(new Map(listing.readAlong.deals.filter((d) => listing.toRead?.includes(d.crmId)).map((d) => [d.crmId, d]))));
      const handed = [...listing.readAlong.deals, ...pages.flatMap((p) => p.deals)];
      for (const d of handed) versions.set(d.crmId, d.etag!);
      cursor = pages[pages.length - 1]!.cursor;
      const [now] = await h.adapter.getDeals([target]);
      if (teamOf(along.referral.team) === teamOf(now!.referral.team)) return; // read along with the seller's row
      // Read along without it: the next run lists the deal again, with the seller's row.
      h.sandbox.clock.advance(MINUTE);
      const next: string[] = [];
      for await (const page of h.adapter.readChanges(cursor, known)) next.push(...page.deals.filter((d) => teamOf(d.referral.team) === teamOf(now!.referral.team)).map((d) => d.crmId));
      assert.ok(next.includes(target), `the seller's team member change reached the next run: ${next.join()}`);
    });
  }

  it('of a deal, between the first call and the one asking its related queries again without the fold (rereadSeconds 0): listed by the next run', async () => {
    // 300 edited deals with 7 team members each: the fold's team query holds 2,100 rows, two batches.
    const { ids, versions, known, first: cursor } = await seededAndRead(310, 7, 0);
    h.sandbox.clock.advance(MINUTE);
    for (const id of ids.slice(0, 300)) assert.deepEqual(h.sandbox.seller.editOpportunity(id, { NextStep: 'Edited' }), { ok: true });
    h.sandbox.clock.advance(MINUTE);
    const target = ids[309]!;
    let teamQueries = 0;
    let raced = false;
    h.sandbox.store.afterCompositeSubrequest = (_method, _path, ref) => {
      if (ref === 'team') teamQueries += 1;
      if (ref !== 'invitations' || raced) return;
      raced = true;
      // After the first call's last query, before the call that asks the related queries again.
      h.sandbox.clock.advance(1_000);
      assert.deepEqual(h.sandbox.seller.editOpportunity(target, { NextStep: 'Raced' }), { ok: true });
      h.sandbox.clock.advance(1_000);
    };
    const listing = await h.adapter.openChanges!(cursor, known, ids.slice(300, 305));
    h.sandbox.store.afterCompositeSubrequest = undefined;
    assert.equal(teamQueries, 2, 'the fold was asked again without it');
    const pages = await allPages(listing.pages(new Map()));
    for (const d of pages.flatMap((p) => p.deals)) versions.set(d.crmId, d.etag!);
    const handed = new Set(pages.flatMap((p) => p.deals.map((d) => d.crmId)));
    h.sandbox.clock.advance(MINUTE);
    const next = new Set<string>();
    for await (const page of h.adapter.readChanges(pages[pages.length - 1]!.cursor, known)) for (const d of page.deals) next.add(d.crmId);
    assert.ok(handed.has(target) || next.has(target), "the seller's save was listed");
  });
});
