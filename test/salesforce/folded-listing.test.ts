/**
 * The engine's records read in the listing's first call (connectors/salesforce/folded-listing.ts, issue 13):
 * `WHERE (<window>) OR Id IN (<the engine's IDs>)` with the related rows as subqueries. The first call then
 * brings both, and nothing else is read; a row that came only through `Id IN` (here the connector's own
 * write, the newest row of all, and a record untouched for ten minutes) never reaches the pages, their
 * position or the watermark: the pages and the last cursor are those of the plain listing, whole or cut at
 * the query's limit.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { CrmAdapter, CrmChangePage, CrmCursor, CrmDeal, KnownVersions } from '../../core/engine/crm-port.js';
import { listedByWindow } from '../../connectors/salesforce/folded-listing.js';
import { SandboxClock } from '../../sandbox/common/clock.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';
import { allPages, firstRun } from '../helpers/first-listing.js';

const MINUTE = 60_000;

const dealIds = (pages: readonly CrmChangePage[]) => pages.flatMap((p) => p.deals.map((d) => d.crmId));
const position = (cursor: CrmCursor | undefined) => ({ modstamp: cursor?.modstamp, id: cursor?.id });

for (const pageSize of [2000, 2]) {
  describe(`Salesforce adapter: the engine's records read in the listing's first call (page size ${pageSize})`, function () {
    this.timeout(60_000);
    let h: SalesforceHarness;
    afterEach(() => h?.close());

    it('reads them in the same call, and lists exactly what the plain listing lists', async () => {
      h = await startSalesforceHarness({ adapter: { pageSize } });
      const adapter: CrmAdapter = h.adapter;
      h.sandbox.clock.advance(-10 * MINUTE);
      const [ours, untouched, sellerA, sellerB] = seedOptedIn(h.sandbox, 6) as [string, string, string, string];
      h.sandbox.clock.advance(10 * MINUTE);
      const versions = new Map<string, string>();
      const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => versions.get(id) === version };
      // A first run reads everything; while its pages are worked on, sellers save two records, then the
      // connector writes a third one (its own write, the newest SystemModstamp of all).
      let cursor: CrmCursor | undefined;
      let acted = false;
      for await (const page of adapter.readChanges(undefined, known)) {
        cursor = page.cursor;
        for (const deal of page.deals) versions.set(deal.crmId, deal.etag!);
        if (acted || page.deals.length === 0) continue;
        acted = true;
        assert.deepEqual(h.sandbox.seller.editOpportunity(sellerA, { NextStep: 'Seller A' }), { ok: true });
        assert.deepEqual(h.sandbox.seller.editOpportunity(sellerB, { NextStep: 'Seller B' }), { ok: true });
        h.sandbox.clock.advance(2_000);
        const deal = (await adapter.getDeals([ours]))[0]!;
        const [result] = await adapter.write([{ kind: 'update', key: ours, crmId: ours, etag: deal.etag!, referral: deal.referral, changedFields: [], status: { state: 'synced', message: '' } }]);
        assert.ok(result?.ok, JSON.stringify(result));
        if (result.ok && result.etag) versions.set(ours, result.etag);
      }
      assert.ok(cursor && acted);
      h.sandbox.clock.advance(MINUTE);

      const plain = await allPages(adapter.readChanges(cursor, known));
      assert.deepEqual(dealIds(plain).sort(), [sellerA, sellerB].sort(), "the plain listing: the sellers' saves, not the connector's own write");

      h.sandbox.counters.reset();
      const listing = await adapter.openChanges!(cursor, known, [ours, untouched, sellerA]);
      // Cut at its limit (page size 2), the listing goes on with its next plain batch before it is announced
      // (folded-listing.ts `goOn`): a call the pages made before, now made here.
      assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, pageSize > 2 ? 1 : 2, 'one call: the listing and the records asked for');
      assert.ok(listing.readAlong, 'the first call read the records asked for');
      // Cut at its limit (two rows: the oldest, then the first seller's), the query read only those; the
      // connector's own write, the newest, is left for the engine to read.
      const asked = pageSize > 2 ? [ours, untouched, sellerA] : [untouched, sellerA];
      assert.deepEqual([...listing.readAlong.asked].sort(), asked.sort());
      const readAlong = new Map(listing.readAlong.deals.map((d) => [d.crmId, d]));
      for (const id of asked) {
        const read = readAlong.get(id);
        assert.ok(read, `${id} read along`);
        // As a read by ID gives it: the same version, and its related rows (a solution each).
        const [byId] = await adapter.getDeals([id]);
        assert.equal(read.etag, byId!.etag);
        assert.deepEqual(read.referral, byId!.referral);
      }
      h.sandbox.counters.reset();
      const engineReads = new Map<string, CrmDeal>([...readAlong].filter(([id]) => listing.toRead?.includes(id)));
      const folded = await allPages(listing.pages(engineReads));
      assert.deepEqual(dealIds(folded).sort(), dealIds(plain).sort(), 'the pages hand on the listed records only');
      assert.deepEqual(position(folded.at(-1)?.cursor), position(plain.at(-1)?.cursor), "the last position is the listing's, not the connector's own write's");
      assert.deepEqual(folded.at(-1)?.cursor.readAt === undefined, plain.at(-1)?.cursor.readAt === undefined);
      if (pageSize > 2) {
        assert.deepEqual([...(listing.toRead ?? [])].sort(), [sellerA, sellerB].sort());
        assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 0, 'the pages take the listed records from the first call');
      }
    });
  });
}

describe("Salesforce folded listing: the window's own condition, checked on a row", () => {
  const user = '0055g0000000001AAA';
  const fold = { from: { modstamp: '2026-01-01T10:00:00.000Z', id: '' }, narrow: { soql: '(…)', own: { userId: user, ownThrough: '2026-01-01T10:05:00.000Z', recheck: ['0065g0000000009'] } } };
  const row = (stamp: string, by: string, id = '0065g0000000001AAA') => ({ Id: id, SystemModstamp: stamp, LastModifiedById: by });

  it('lists a row saved in the window by someone else, and not one saved before the window', () => {
    assert.equal(listedByWindow(row('2026-01-01T10:01:00.000+0000', '0055g0000000002AAA'), fold), true);
    assert.equal(listedByWindow(row('2026-01-01T09:59:59.000+0000', '0055g0000000002AAA'), fold), false);
    assert.equal(listedByWindow(row('2026-01-01T10:00:00.000+0000', '0055g0000000002AAA'), fold), true, 'the start is inclusive');
  });

  it("leaves the connector's own saves before ownThrough out, unless the record is to be checked again", () => {
    assert.equal(listedByWindow(row('2026-01-01T10:01:00.000+0000', user), fold), false);
    assert.equal(listedByWindow(row('2026-01-01T10:01:00.000+0000', user.slice(0, 15)), fold), false, 'the 15-character form is the same user');
    assert.equal(listedByWindow(row('2026-01-01T10:05:00.000+0000', user), fold), true, 'at ownThrough: in the window');
    assert.equal(listedByWindow(row('2026-01-01T10:01:00.000+0000', user, '0065g0000000009AAA'), fold), true, 'on the recheck list');
  });

  it('lists every row of the window when the cursor has no own-writes condition', () => {
    assert.equal(listedByWindow(row('2026-01-01T10:01:00.000+0000', user), { from: fold.from }), true);
  });
});

/**
 * `seeded` deals read by a first run; sellers then edit the first `edited`, and the engine asks for those from
 * `askedFrom` on. The same run read plain (the listing, then the asked records by ID) and folded: each one's
 * calls, and the folded listing's readAlong, whose pages must be the plain one's.
 */
async function foldedAgainstPlain(h: SalesforceHarness, seeded: number, edited: number, askedFrom: number) {
  const adapter: CrmAdapter = h.adapter;
  h.sandbox.clock.advance(-10 * MINUTE);
  const ids = seedOptedIn(h.sandbox, seeded, { teamPerOpportunity: 1 });
  h.sandbox.clock.advance(10 * MINUTE);
  const { cursor, known } = await firstRun(adapter);
  h.sandbox.clock.advance(MINUTE);
  for (const id of ids.slice(0, edited)) assert.deepEqual(h.sandbox.seller.editOpportunity(id, { NextStep: 'Edited' }), { ok: true });
  h.sandbox.clock.advance(MINUTE);
  const asked = ids.slice(askedFrom);

  h.sandbox.counters.reset();
  const plain = await allPages(adapter.readChanges(cursor, known));
  await adapter.getDeals(asked);
  const plainCalls = billedCalls(h.sandbox.counters.snapshot()).total;

  h.sandbox.counters.reset();
  const listing = await adapter.openChanges!(cursor, known, asked);
  const folded = await allPages(listing.pages(new Map()));
  const foldedCalls = billedCalls(h.sandbox.counters.snapshot()).total;
  assert.deepEqual(dealIds(folded).sort(), dealIds(plain).sort());
  assert.deepEqual(position(folded.at(-1)?.cursor), position(plain.at(-1)?.cursor));
  return { asked, readAlong: listing.readAlong, plainCalls, foldedCalls };
}

describe('Salesforce folded listing: a bulk seller change past its limit', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  // The folded query's rows carry their related rows, which count toward a batch's 2,000 records: read to its
  // limit, a bulk change cost two more calls than the plain listing and a read by ID (7 against 5 at 2,500).
  // The folded query must return complete rows, so it selects all four custom long text fields and comes 200
  // records a batch, where the plain listing leaves two of them apart and keeps 2,000 (long-text-apart.ts):
  // cut after 200 records instead of 2,000, a bulk change costs the fold one call more (6 against 5).
  it('costs at most one call more than the plain listing and a read by ID, and lists the same', async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 1000 } });
    const { asked, readAlong, plainCalls, foldedCalls } = await foldedAgainstPlain(h, 1200, 1100, 1150);
    assert.deepEqual([...(readAlong?.asked ?? [])].sort(), [...asked].sort(), 'the untouched records come first, in the first batch');
    assert.ok(foldedCalls <= plainCalls + 1, `${foldedCalls} calls against ${plainCalls}`);
  });
});

describe('Salesforce folded listing: many changes below its limit, 200 records a batch', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  // The folded query selects several custom long text fields, so it comes 200 records a batch, and 650 rows
  // with their related rows are many batches, each followed in a call of its own (16 calls against the plain
  // listing's and a read by ID's 5, before). Needing more than three batches past the first, it is cut like a
  // full one, and the plain listing (2,000 a batch) goes on: 4 calls. 50 IDs asked: the most folded (`FOLDED_IDS`).
  it('is cut after its first batch when it would take more than three more, and lists the same', async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 2000 } });
    const { plainCalls, foldedCalls } = await foldedAgainstPlain(h, 1000, 600, 950);
    assert.ok(foldedCalls <= plainCalls, `${foldedCalls} calls against ${plainCalls}`);
  });
});

describe('Salesforce folded listing: a bulk change past one batch of a related-change query', function () {
  this.timeout(180_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  // The related-change queries read the folded deals' related rows too (fold-related.ts), the window's among
  // them: 2,100 edited deals with a team member each are more than one 2,000-row batch of that query. Followed,
  // the fold would cost a batch per 2,000 of the window's rows; the queries are asked again without it (one
  // call) and the asked records read by ID, so the fold costs at most two calls more than the plain listing.
  it('asks the related-change queries again without the fold, and lists the same', async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 2000 } });
    const { readAlong, plainCalls, foldedCalls } = await foldedAgainstPlain(h, 2200, 2100, 2150);
    assert.deepEqual([...(readAlong?.asked ?? [])], [], 'no deal is read along without its related rows');
    assert.ok(foldedCalls <= plainCalls + 2, `${foldedCalls} calls against ${plainCalls}`);
  });
});

describe('Salesforce folded listing: a cut among the records asked for, before the window', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  // Records asked for that are older than the window sort first: when they alone fill the first batch, the
  // listing must go on from the window's start, not from the last of them (which re-listed every
  // opportunity saved since that record, the whole org for a record untouched for years).
  it('goes on from the window, and costs no more than the plain listing and a read by ID', async () => {
    h = await startSalesforceHarness({ adapter: { pageSize: 2 } });
    const adapter: CrmAdapter = h.adapter;
    h.sandbox.clock.advance(-10 * MINUTE);
    const ids = seedOptedIn(h.sandbox, 12);
    // Saved by sellers long before the window (the connector's own saves are left out of it anyway).
    for (const id of ids) assert.deepEqual(h.sandbox.seller.editOpportunity(id, { NextStep: 'Earlier' }), { ok: true });
    h.sandbox.clock.advance(10 * MINUTE);
    const { cursor } = await firstRun(adapter);
    h.sandbox.clock.advance(MINUTE);
    const seller = ids.at(-1)!;
    assert.deepEqual(h.sandbox.seller.editOpportunity(seller, { NextStep: 'Seller' }), { ok: true });
    h.sandbox.clock.advance(MINUTE);
    const asked = [...ids].sort().slice(0, 2);

    h.sandbox.counters.reset();
    // Without versions known, each listed row is read: a row listed twice costs a read.
    const plain = await allPages(adapter.readChanges(cursor));
    await adapter.getDeals(asked);
    const plainCalls = billedCalls(h.sandbox.counters.snapshot()).total;

    h.sandbox.counters.reset();
    const listing = await adapter.openChanges!(cursor, undefined, asked);
    const folded = await allPages(listing.pages(new Map()));
    assert.deepEqual(dealIds(folded), dealIds(plain));
    assert.deepEqual(dealIds(plain), [seller]);
    assert.deepEqual(position(folded.at(-1)?.cursor), position(plain.at(-1)?.cursor));
    assert.ok(billedCalls(h.sandbox.counters.snapshot()).total <= plainCalls + 1, `${billedCalls(h.sandbox.counters.snapshot()).total} calls against ${plainCalls}`);
  });
});

/** The sandbox's clock, standing still (near real time, early in a second) but for `advance`. */
class StillClock extends SandboxClock {
  private readonly base = Math.floor(Date.now() / 1000) * 1000 + 100;
  override nowMs(): number {
    return this.base + this.offset;
  }
  override now(): Date {
    return new Date(this.nowMs());
  }
}

describe('Salesforce folded listing: a start inside a second (a position with an Id)', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  afterEach(() => h?.close());

  // With no re-read margin, a listing that ended in the second its anchor was read resumes after its last row
  // (keyset order). The fold was skipped there, and the engine paid a read call of its own.
  it('folds with the keyset condition, and lists exactly what the plain listing lists', async () => {
    // A clock that moves only when told: the first listing begins in the second of the saves before it.
    h = await startSalesforceHarness({ sandbox: { clock: new StillClock() }, adapter: { pageSize: 2000, rereadSeconds: 0 } });
    const adapter: CrmAdapter = h.adapter;
    const [untouched, sellerA, tie] = seedOptedIn(h.sandbox, 4).sort() as [string, string, string];
    // Two saves in the second the first listing begins (the clock has not moved): it ends on the later Id.
    for (const id of [untouched, tie]) assert.deepEqual(h.sandbox.seller.editOpportunity(id, { NextStep: 'Same second' }), { ok: true });
    const { cursor, known } = await firstRun(adapter);
    // The tie: the last row listed was saved in the second the listing began (the clock has not moved).
    assert.ok(cursor?.id && typeof cursor.readAt === 'string' && Date.parse(String(cursor.modstamp)) >= Date.parse(cursor.readAt), JSON.stringify(cursor));
    assert.ok(untouched < String(cursor.id), 'the untouched record sits before the position, in the same second');
    h.sandbox.clock.advance(1_000);
    assert.deepEqual(h.sandbox.seller.editOpportunity(sellerA, { NextStep: 'Seller A' }), { ok: true });

    const plain = await allPages(adapter.readChanges(cursor, known));
    assert.deepEqual(dealIds(plain), [sellerA]);

    h.sandbox.counters.reset();
    const listing = await adapter.openChanges!(cursor, known, [untouched, sellerA]);
    assert.equal(billedCalls(h.sandbox.counters.snapshot()).total, 1, 'one call: the listing and the records asked for');
    assert.ok(listing.readAlong, 'the first call read the records asked for');
    assert.deepEqual([...listing.readAlong.asked].sort(), [untouched, sellerA].sort());
    assert.deepEqual(listing.readAlong.deals.map((d) => d.crmId).sort(), [untouched, sellerA].sort());
    assert.deepEqual(listing.toRead, [sellerA], 'the untouched record came only through Id IN: not listed');
    const folded = await allPages(listing.pages(new Map(listing.readAlong.deals.filter((d) => d.crmId === sellerA).map((d) => [d.crmId, d]))));
    assert.deepEqual(dealIds(folded), dealIds(plain));
    assert.deepEqual(position(folded.at(-1)?.cursor), position(plain.at(-1)?.cursor));
  });
});

describe("Salesforce folded listing: the keyset start, checked on a row", () => {
  const from = { modstamp: '2026-01-01T10:00:00.000Z', id: '0065g0000000005AAA' };
  const row = (stamp: string, id: string) => ({ Id: id, SystemModstamp: stamp, LastModifiedById: '0055g0000000002AAA' });

  it('lists a row of the same second only after the position, and every later row', () => {
    assert.equal(listedByWindow(row('2026-01-01T10:00:00.000+0000', '0065g0000000006AAA'), { from }), true);
    assert.equal(listedByWindow(row('2026-01-01T10:00:00.000+0000', '0065g0000000005AAA'), { from }), false, 'the position itself was listed');
    assert.equal(listedByWindow(row('2026-01-01T10:00:00.000+0000', '0065g0000000004AAA'), { from }), false);
    assert.equal(listedByWindow(row('2026-01-01T10:00:01.000+0000', '0065g0000000001AAA'), { from }), true);
    assert.equal(listedByWindow(row('2026-01-01T09:59:59.000+0000', '0065g0000000009AAA'), { from }), false);
  });
});
