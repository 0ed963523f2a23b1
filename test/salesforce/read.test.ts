/** Reading the change feed: paging over 5,000+ opportunities, cursor resume, ties on SystemModstamp, seller actions. */
import assert from 'node:assert/strict';
import { F } from '../../mappings/custom-fields.salesforce.js';
import type { CrmChangePage, CrmDeal } from '../../core/engine/crm-port.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

async function all(pages: AsyncIterable<CrmChangePage>): Promise<CrmChangePage[]> {
  const out: CrmChangePage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

describe('Salesforce adapter: reading changes', function () {
  this.timeout(60_000);

  describe('over 5,000+ opportunities', () => {
    let h: SalesforceHarness;
    let seeded: string[];
    before(async () => {
      // rereadSeconds 0: resume exactly at the cursor, so that these tests can assert exact page contents.
      h = await startSalesforceHarness({ adapter: { pageSize: 1500, rereadSeconds: 0 } });
      // Groups of 9 records share one SystemModstamp, so page boundaries fall inside ties.
      seeded = seedOptedIn(h.sandbox, 5_200, { teamPerOpportunity: 1, sameStampGroup: 9 });
      h.sandbox.counters.reset();
    });
    after(() => h?.close());

    it('pages in ascending (SystemModstamp, Id) order without loss or duplicates', async () => {
      const pages = await all(h.adapter.readChanges(undefined));
      // The last page carries only the window's anchor, handed back once the engine has written (feed-window.ts).
      assert.deepEqual(pages.map((p) => p.deals.length), [1500, 1500, 1500, 700, 0]);
      assert.equal(typeof pages[pages.length - 1]!.cursor.readAt, 'string');
      const deals = pages.flatMap((p) => p.deals);
      const keys = deals.map((d) => `${d.modifiedAt}|${d.crmId}`);
      assert.deepEqual(keys, [...keys].sort());
      assert.deepEqual(new Set(deals.map((d) => d.crmId)), new Set(seeded));
      // Batches of 1,500 are asked for; the opportunity query runs once and follows its locator.
      assert.ok(h.sandbox.counters.get('query:Opportunity') <= 4);
    });

    it('resumes from any page cursor with exactly the remaining deals', async () => {
      const pages = await all(h.adapter.readChanges(undefined));
      const known = new Map(pages.flatMap((p) => p.deals.map((d) => [d.crmId, d.modifiedAt] as const)));
      const resumedDeals = (await all(h.adapter.readChanges(pages[1]!.cursor))).flatMap((p) => p.deals);
      const expected = pages.slice(2).flatMap((p) => p.deals.map((d) => d.crmId));
      // Exactly the remaining deals, in order; anything else is a same-second overlap, unchanged.
      assert.deepEqual(resumedDeals.map((d) => d.crmId).filter((id) => expected.includes(id)), expected);
      for (const d of resumedDeals) assert.equal(d.modifiedAt, known.get(d.crmId), `${d.crmId} is only an overlap`);
      const quiet = await all(h.adapter.readChanges(pages[pages.length - 1]!.cursor));
      for (const d of quiet.flatMap((p) => p.deals)) assert.equal(d.modifiedAt, known.get(d.crmId), 'nothing changed after the last cursor');
    });

    it('reports opportunities deleted since the last run (getDeleted)', async () => {
      const pages = await all(h.adapter.readChanges(undefined));
      const last = pages[pages.length - 1]!.cursor;
      const victim = seeded[42]!;
      const opp = h.sandbox.store.get('Opportunity', victim)!;
      await h.adapter.write([{ kind: 'status', key: seeded[43]!, crmId: seeded[43]!, status: { state: 'synced', message: '' } }]);
      // A seller deletes an opportunity in Salesforce; its team and contact roles go with it.
      const res = await fetch(`${h.sandbox.url}/services/data/v62.0/sobjects/Opportunity/${victim}`, { method: 'DELETE', headers: { authorization: `Bearer ${[...h.sandbox.store.tokens.keys()][0]}` } });
      assert.equal(res.status, 204);
      assert.equal(h.sandbox.store.all('OpportunityTeamMember').filter((t) => t.OpportunityId === opp.Id).length, 0);
      const next = await all(h.adapter.readChanges(last));
      assert.deepEqual(next[0]!.deletedIds, [victim]);
      const changedNow = next.flatMap((p) => p.deals).filter((d) => d.modifiedAt !== pages.flatMap((p) => p.deals).find((x) => x.crmId === d.crmId)?.modifiedAt);
      assert.deepEqual(changedNow.map((d) => d.crmId), [seeded[43]]);
      assert.equal(typeof next[0]!.cursor.deletedThrough, 'string');
      const after = await all(h.adapter.readChanges(next[next.length - 1]!.cursor));
      assert.ok(after.every((p) => p.deals.length === 0));
    });

    it('maps the opportunity, its account, contact, team and solution', async () => {
      const [deal] = await h.adapter.getDeals([seeded[0]!]);
      assert.ok(deal);
      const opp = h.sandbox.store.get('Opportunity', seeded[0]!)!;
      const account = h.sandbox.store.get('Account', String(opp.AccountId))!;
      assert.equal(deal.referral.dealName, opp.Name);
      assert.equal(deal.referral.value, opp.Amount);
      assert.equal(deal.referral.customer.name, account.Name);
      assert.equal(deal.referral.customer.duns, account.DunsNumber);
      assert.equal(deal.referral.customer.country, account.BillingCountry);
      assert.ok(deal.referral.customerContact?.email.endsWith('@customer.example'));
      assert.equal(deal.referral.team.length, 1);
      assert.deepEqual(deal.referral.solutions.map((s) => s.kind), ['own']);
      assert.equal(deal.referral.helpType, 'proof-of-concept');
      assert.equal(deal.referral.dealType, 'co-sell');
      assert.equal(deal.intent.optedIn, true);
      assert.equal(deal.modifiedAt, new Date(String(opp.SystemModstamp)).toISOString());
    });
  });

  describe('changes in the same second as the watermark', () => {
    let h: SalesforceHarness;
    before(async () => {
      h = await startSalesforceHarness();
    });
    after(() => h?.close());

    it('are caught by re-reading a short window before the watermark, and the cursor never moves back', async () => {
      const ids = seedOptedIn(h.sandbox, 30);
      // Every audit stamp is whole seconds: make the last read and the seller's edit share one.
      const second = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5_000);
      for (const id of ids) {
        h.sandbox.clock.set(second);
        h.sandbox.seller.editOpportunity(id, { NextStep: 'Call back' });
      }
      const first = await all(h.adapter.readChanges(undefined));
      const cursor = first[first.length - 1]!.cursor;
      assert.equal(cursor.id, ids[ids.length - 1]);
      const smaller = ids[3]!;
      // Back to the start of the watermark's second, however long the read took.
      h.sandbox.clock.set(String(h.sandbox.store.get('Opportunity', ids[ids.length - 1]!)!.SystemModstamp));
      h.sandbox.seller.editOpportunity(smaller, { Name: 'Edited in the same second' });
      assert.equal(h.sandbox.store.get('Opportunity', smaller)!.SystemModstamp, h.sandbox.store.get('Opportunity', ids[ids.length - 1]!)!.SystemModstamp);
      const next = await all(h.adapter.readChanges(cursor));
      const edited = next.flatMap((p) => p.deals).find((d) => d.crmId === smaller);
      assert.equal(edited?.referral.dealName, 'Edited in the same second');
      for (const page of next) assert.ok(String(page.cursor.modstamp) >= String(cursor.modstamp));
      assert.equal(next[next.length - 1]!.cursor.id, cursor.id);
    });
  });

  describe('changes to related records only', () => {
    let h: SalesforceHarness;
    before(async () => {
      h = await startSalesforceHarness();
    });
    after(() => h?.close());

    it('are read although the opportunity itself did not change, within the same page budget', async () => {
      const ids = seedOptedIn(h.sandbox, 5);
      const first = await all(h.adapter.readChanges(undefined));
      const before = first.flatMap((p) => p.deals).find((d) => d.crmId === ids[2])!;
      h.sandbox.clock.advance(2_000);
      const user = h.sandbox.store.all('User').find((u) => String(u.Email).endsWith('@partner.example') && !before.referral.team.some((t) => t.email === u.Email))!;
      // A seller adds a team member; Salesforce leaves the opportunity's SystemModstamp alone.
      insertRaw(h.sandbox.store, 'OpportunityTeamMember', { OpportunityId: ids[2], UserId: user.Id, TeamMemberRole: 'Sales Rep', OpportunityAccessLevel: 'Edit' }, undefined, String(user.Id));
      h.sandbox.counters.reset();
      const next = await all(h.adapter.readChanges(first[first.length - 1]!.cursor));
      assert.deepEqual(next.map((p) => p.deals.length > 0), [true, false], 'one page of deals, then the anchor');
      const after = next[0]!.deals.find((d) => d.crmId === ids[2]);
      assert.ok(after, 'the deal whose team changed is read');
      assert.ok(after.referral.team.some((t) => t.email === user.Email));
      assert.ok(Date.parse(after.modifiedAt) > Date.parse(before.modifiedAt), 'its modifiedAt moves with the related change');
      assert.equal(typeof next[1]!.cursor.readAt, 'string');
    });
  });

  describe('after a pause longer than the 15 days Salesforce keeps deletions', () => {
    let h: SalesforceHarness;
    before(async () => {
      h = await startSalesforceHarness();
      seedOptedIn(h.sandbox, 3);
    });
    after(() => h?.close());

    it('warns and carries on instead of failing every run', async () => {
      const first = await all(h.adapter.readChanges(undefined));
      h.sandbox.clock.advance(16 * 86_400_000);
      const later = await all(h.adapter.readChanges(first[first.length - 1]!.cursor));
      assert.deepEqual(later.flatMap((p) => p.deletedIds), []);
      assert.ok(later.length >= 1 && typeof later[0]!.cursor.deletedThrough === 'string');
      assert.equal(later[0]!.deletionsIncomplete, true, 'the engine is told to check its linked records');
    });
  });

  // The deletion window ends at Salesforce's time, not this machine's (docs/sync.md). Found by a walk of
  // `cosell run` against the sandboxes: once the sandbox clock moved 16 days on, every later run had
  // getDeleted refused (its window reckoned by the local clock) and read every opportunity again, for ever.
  // The adapter keeps the machine's clock here; only Salesforce's moves.
  describe('when Salesforce\'s clock is 16 days ahead of this machine\'s', () => {
    let h: SalesforceHarness;
    after(() => h?.close());

    it('one full read for the gap, then quiet runs again, in this process and in a new one', async () => {
      h = await startSalesforceHarness();
      seedOptedIn(h.sandbox, 3);
      const adapter = h.makeAdapter();
      const first = await all(adapter.readChanges(undefined));
      h.sandbox.clock.advance(16 * 86_400_000);
      const gap = await all(adapter.readChanges(first.at(-1)!.cursor));
      assert.equal(gap[0]!.deletionsIncomplete, true, 'the pause is a gap: the engine checks its linked records');
      const next = await all(adapter.readChanges(gap.at(-1)!.cursor));
      assert.ok(next.every((p) => p.deletionsIncomplete !== true), 'the next run has every deletion again');
      assert.deepEqual(next.flatMap((p) => p.deals.map((d) => d.crmId)), [], 'and reads nothing that did not change');
      const inNewProcess = await all(h.makeAdapter().readChanges(next.at(-1)!.cursor));
      assert.ok(inNewProcess.every((p) => p.deletionsIncomplete !== true), 'a new process (sync --once) too, before any other call');
    });
  });

  describe('seller actions', () => {
    let h: SalesforceHarness;
    let id: string;
    const read = async (): Promise<CrmDeal> => (await h.adapter.getDeals([id]))[0]!;
    beforeEach(async () => {
      h = await startSalesforceHarness({ adapter: { optInRules: { minProbability: 20, requireSolution: true } } });
      [id] = seedOptedIn(h.sandbox, 1) as [string];
      h.sandbox.seller.editOpportunity(id, { StageName: 'Needs Analysis' });
    });
    afterEach(() => h?.close());

    it('reads opt-in, help, sharing and an invited partner', async () => {
      h.sandbox.seller.editOpportunity(id, { [F.optIn]: false, [F.helpType]: null, [F.shareWithMicrosoft]: false });
      let deal = await read();
      assert.equal(deal.intent.optedIn, false);
      assert.equal(deal.referral.dealType, 'private');
      h.sandbox.seller.editOpportunity(id, { [F.optIn]: true, [F.shareWithMicrosoft]: true });
      deal = await read();
      assert.equal(deal.referral.dealType, 'partner-led');
      h.sandbox.seller.editOpportunity(id, { [F.invitePartnerId]: 'partner-4711' });
      deal = await read();
      assert.equal(deal.referral.dealType, 'partner-to-partner');
      assert.equal(deal.referral.invitations[0]?.partner.id, 'partner-4711');
      assert.deepEqual(deal.problems, []);
    });

    it('reads win, and loss with its reason', async () => {
      h.sandbox.seller.editOpportunity(id, { StageName: 'Closed Won' });
      let deal = await read();
      assert.deepEqual([deal.referral.status, deal.referral.substatus, deal.referral.salesStage], ['Closed', 'Won', 'Won']);
      h.sandbox.seller.editOpportunity(id, { StageName: 'Closed Lost', [F.closeReason]: 'Customer chose another vendor', [F.closeNotes]: 'Went with a competitor' });
      deal = await read();
      assert.deepEqual([deal.referral.status, deal.referral.substatus, deal.referral.closeReason, deal.referral.closeNotes], ['Closed', 'Lost', 'chose-another-vendor', 'Went with a competitor']);
    });

    it('reads accept and decline of an inbound referral', async () => {
      // An inbound record always carries its referral's ID (the connector creates it with it); without one it is a copy.
      h.sandbox.seller.editOpportunity(id, { [F.referralId]: 'a3b1c2d4-0000-4000-8000-000000000001', [F.direction]: 'Inbound', [F.referralStatus]: 'New/Received', [F.response]: 'Decline', [F.closeReason]: 'Not a customer', StageName: 'Prospecting' });
      const deal = await read();
      assert.equal(deal.referral.direction, 'inbound');
      assert.equal(deal.referral.substatus, 'Received');
      assert.equal(deal.referral.salesStage, 'Accepted');
      assert.deepEqual(deal.intent, { optedIn: true, response: 'decline' });
      assert.equal(deal.referral.closeReason, 'not-a-customer');
    });

    it('reports a deal that fails the opt-in rules, with the reason', async () => {
      h.sandbox.seller.editOpportunity(id, { StageName: 'Prospecting' });
      for (const s of h.sandbox.store.all('Cosell_Solution__c')) h.sandbox.store.remove('Cosell_Solution__c', s.Id);
      const deal = await read();
      assert.deepEqual(deal.problems.map((p) => p.code).sort(), ['optin.probability', 'optin.solution']);
      assert.match(deal.problems.find((p) => p.code === 'optin.probability')!.message, /10%.*20%/);
    });

    it('reports a billing country that is not an ISO code', async () => {
      const opp = h.sandbox.store.get('Opportunity', id)!;
      h.sandbox.store.get('Account', String(opp.AccountId))!.BillingCountry = 'Germany';
      const deal = await read();
      assert.ok(deal.problems.some((p) => p.code === 'country.not_iso' && p.field === 'customer.country' && /germany/i.test(p.message)));
    });
  });
});
