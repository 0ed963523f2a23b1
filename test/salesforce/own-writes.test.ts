/**
 * The change window leaves the connector's own writes out (connectors/salesforce/feed-window.ts), but
 * never a seller's change that a connector write landed on: the writer checks each record's version in
 * the same call as its save, and a record changed since the engine read it is read again next run. Another
 * user's related-row change is known once the run that read it is committed, not before.
 */
import assert from 'node:assert/strict';
import type { CrmChangePage, CrmCursor, CrmDeal, KnownVersions } from '../../core/engine/crm-port.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { harnessSeededEarlier, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce adapter: the connector\'s own writes and the change window', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());
  /** `count` opted-in opportunities seeded ten minutes ago: only what happens from here on is inside the next window's margin. */
  async function seeded(count: number): Promise<string[]> {
    const started = await harnessSeededEarlier(count);
    h = started.h;
    return started.ids;
  }

  it('does not read its own writes back, but re-reads a record a seller changed between its read and its write', async () => {
    const [raced, plain, untouched] = (await seeded(3)) as [string, string, string];
    const versions = new Map<string, string>();
    const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => versions.get(id) === version };
    const feed = h.adapter.readChanges(undefined, known)[Symbol.asyncIterator]();
    let last: CrmChangePage | undefined;
    const read = new Map<string, CrmDeal>();
    for (let step = await feed.next(); !step.done; step = await feed.next()) {
      last = step.value;
      for (const deal of step.value.deals) {
        read.set(deal.crmId, deal);
        versions.set(deal.crmId, deal.etag!);
      }
      if (step.value.deals.length === 0) continue;
      // While the engine works on the page, a seller saves one of its records; then the engine writes both.
      assert.deepEqual(h.sandbox.seller.editOpportunity(raced, { NextStep: 'Call the customer back' }), { ok: true });
      const results = await h.adapter.write([raced, plain].map((id) => ({ kind: 'update' as const, key: id, crmId: id, etag: read.get(id)!.etag!, referral: read.get(id)!.referral, changedFields: [], status: { state: 'synced' as const, message: '' } })));
      assert.ok(results.every((r) => r.ok), JSON.stringify(results));
      // As the engine does: a write's reported version is its own (the raced record reports none).
      for (const r of results) if (r.ok && r.etag) versions.set(r.crmId, r.etag);
      assert.equal(results.find((r) => r.key === raced)?.ok && (results.find((r) => r.key === raced) as { etag?: string }).etag, undefined);
    }
    assert.equal(typeof last!.cursor.ownThrough, 'string', 'the last page anchors the next window after the writes');
    assert.equal(last!.cursor.recheck, raced);

    const next: CrmDeal[] = [];
    for await (const page of h.adapter.readChanges(last!.cursor, known)) next.push(...page.deals);
    assert.deepEqual(next.map((d) => d.crmId), [raced], 'only the record the seller changed under the write');
    assert.equal(next[0]!.referral.dealName, read.get(raced)!.referral.dealName);
    assert.ok(!next.some((d) => d.crmId === plain || d.crmId === untouched));
  });

  it('checks each record against its own chunk when one write spans several collections of 200', async () => {
    const ids = await seeded(450);
    const raced = ids[321]!;
    const versions = new Map<string, string>();
    const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => versions.get(id) === version };
    const read = new Map<string, CrmDeal>();
    let last: CrmChangePage | undefined;
    for await (const page of h.adapter.readChanges(undefined, known)) {
      last = page;
      for (const deal of page.deals) read.set(deal.crmId, deal);
    }
    assert.equal(read.size, 450);
    assert.deepEqual(h.sandbox.seller.editOpportunity(raced, { NextStep: 'Call the customer back' }), { ok: true });
    const results = await h.adapter.write([...read.values()].map((d) => ({ kind: 'update' as const, key: d.crmId, crmId: d.crmId, etag: d.etag!, referral: d.referral, changedFields: [], status: { state: 'synced' as const, message: '' } })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
    const withoutVersion = results.filter((r) => !(r as { etag?: string }).etag).map((r) => r.key);
    assert.deepEqual(withoutVersion, [raced], 'only the record a seller changed has no version of the engine\'s own');
    assert.equal(typeof last!.cursor.modstamp, 'string');
  });

  it('a status write made on the version read reports its new version, unless a seller saved in between; one without stays unknown', async () => {
    const [raced, plain, unversioned] = (await seeded(3)) as [string, string, string];
    const deals = new Map((await h.adapter.getDeals([raced, plain, unversioned])).map((d) => [d.crmId, d] as const));
    assert.deepEqual(h.sandbox.seller.editOpportunity(raced, { NextStep: 'Call the customer back' }), { ok: true });
    const status = { state: 'error' as const, message: 'Refused: a deal team member is required.' };
    const results = await h.adapter.write([
      ...[raced, plain].map((id) => ({ kind: 'status' as const, key: id, crmId: id, status, etag: deals.get(id)!.etag! })),
      { kind: 'status' as const, key: unversioned, crmId: unversioned, status },
    ]);
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    const versionOf = (id: string) => (results.find((r) => r.key === id) as { etag?: string }).etag;
    const [after] = await h.adapter.getDeals([plain]);
    assert.equal(versionOf(plain), after!.etag, "the write's version is the record's as read next");
    assert.equal(versionOf(raced), undefined, "the seller's save is not taken for the connector's");
    assert.equal(versionOf(unversioned), undefined, 'no read version, nothing to check against');
  });

  // Related-row versions (connectors/salesforce/related-versions.ts) become known only once the engine committed
  // the run that read them: the engine buffers writes across pages and commits a page after its writes, so it can
  // have asked for every page and committed none.
  it('a run stopped before its commit leaves the related change unknown; a committed run makes it known', async () => {
    const [id] = (await seeded(1)) as [string];
    const versions = new Map<string, string>();
    const known: KnownVersions = { prepare: async () => undefined, isKnown: (crmId, version) => versions.get(crmId) === version, isSettled: () => true };
    const run = async (cursor: CrmCursor | undefined): Promise<{ read: string[]; last?: CrmChangePage }> => {
      const read: string[] = [];
      let last: CrmChangePage | undefined;
      for await (const page of h.adapter.readChanges(cursor, known)) {
        for (const d of page.deals) {
          read.push(d.crmId);
          versions.set(d.crmId, d.etag!);
        }
        last = page;
      }
      return { read, ...(last ? { last } : {}) };
    };
    const committed = (await run(undefined)).last!.cursor;

    h.sandbox.clock.advance(60_000);
    const user = h.sandbox.store.all('User').find((u) => String(u.Email).endsWith('@partner.example'))!;
    insertRaw(h.sandbox.store, 'OpportunityTeamMember', { OpportunityId: id, UserId: user.Id, TeamMemberRole: 'Sales Rep', OpportunityAccessLevel: 'Edit' }, undefined, String(user.Id));
    h.sandbox.clock.advance(60_000);
    // The engine reads every page, the last one too, but commits none of it (its writes were still buffered when it stopped).
    assert.deepEqual((await run(committed)).read, [id], 'the change is read');
    const again = await run(committed);
    assert.deepEqual(again.read, [id], 'read again: the stopped run never made it known');
    h.sandbox.clock.advance(60_000);
    const idle = await run(again.last!.cursor);
    assert.deepEqual(idle.read, [], 'inside the margin, the committed change costs nothing');
  });
});
