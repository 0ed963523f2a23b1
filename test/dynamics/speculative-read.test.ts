/**
 * The run's first `$batch` guesses the rows change tracking will list (connectors/dynamics/speculative-read.ts,
 * issue 13): the opportunities others changed since the last run, and the records the engine asked for, read in
 * full with their child rows. A 1%-changed cycle then reads the CRM in that one call. A guessed row is used only
 * at the version tracking lists (a row saved between the two reads is read again), a record asked for and not
 * listed is handed back without reaching the pages, and deletions, a long pause and the connector's own writes
 * cost what they cost before.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { CrmAdapter, CrmChangePage, CrmCursor, CrmDeal, KnownVersions } from '../../core/engine/crm-port.js';
import { SandboxClock } from '../../sandbox/common/clock.js';
import { SELLER_USER_ID } from '../../sandbox/dataverse/seed.js';
import { Speculated } from '../../connectors/dynamics/speculative-read.js';
import { collect, saveAsSellerAfterBatchRead, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

const MINUTE = 60_000;
const dealIds = (pages: readonly CrmChangePage[]) => pages.flatMap((p) => p.deals.map((d) => d.crmId)).sort();
const deletedIds = (pages: readonly CrmChangePage[]) => pages.flatMap((p) => p.deletedIds).sort();
const lastCursor = (pages: readonly CrmChangePage[]) => pages.at(-1)!.cursor;
/**
 * Where the listing stands: the row version its delta token holds (the token also holds the second of the read,
 * and the watermark is that second less a margin: two reads a second apart differ there only).
 */
const position = (cursor: CrmCursor) => ({ mode: cursor.mode, version: /\$deltatoken=(\d+)/.exec(String(cursor.link))?.[1] });

describe('Dynamics 365: the first $batch guesses the changed rows', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;
  let clock: SandboxClock;
  let adapter: CrmAdapter;
  let ids: string[];
  let cursor: CrmCursor;
  const versions = new Map<string, string>();
  const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => versions.get(id) === version };
  /** The GETs of each `$batch` the sandbox answered, by their `$filter` (or the path). */
  let operations: string[];
  const calls = () => billedCalls(h.dataverse.counters.snapshot()).total;
  const guessed = () => operations.some((op) => op.includes('_modifiedby_value ne'));

  const sellerEdit = (id: string, name: string) => h.control('seller/edit', { id, changes: { name } });
  /** The connector's own status write, as the engine makes it, remembered as known (an echo next run). */
  async function ownWrite(id: string): Promise<void> {
    const [deal] = await adapter.getDeals([id]);
    const [result] = await adapter.write([{ kind: 'update', key: id, crmId: id, etag: deal!.etag!, referral: deal!.referral, changedFields: [], status: { state: 'synced', message: '' } }]);
    assert.ok(result?.ok && result.etag, JSON.stringify(result));
    if (result.ok) versions.set(id, result.etag!);
  }
  async function run(from: CrmCursor | undefined): Promise<CrmChangePage[]> {
    const pages = await collect(adapter.readChanges(from, known));
    for (const deal of pages.flatMap((p) => p.deals)) versions.set(deal.crmId, deal.etag!);
    return pages;
  }

  beforeEach(async () => {
    clock = new SandboxClock();
    h = await startDynamicsHarness({ clock, pageSize: 5000 });
    await h.adapter.setup();
    adapter = h.makeAdapter({}, { now: () => clock.now() });
    clock.advance(-10 * MINUTE);
    ids = seedOpportunities(h, 12, { teamPerDeal: 1, solutionsPerDeal: 1 });
    clock.advance(10 * MINUTE);
    versions.clear();
    operations = [];
    h.dataverse.store.afterBatchOperation = (method, path, query) => void operations.push(`${method} ${path} ${query.get('$filter') ?? ''}`);
    const first = await run(undefined);
    assert.equal(guessed(), false, 'a first run reads everything: no guess');
    cursor = lastCursor(first);
    assert.equal(typeof cursor.appUserId, 'string', "the application user's ID (WhoAmI, in the first $batch) is kept");
    clock.advance(MINUTE);
    operations = [];
    h.dataverse.counters.reset();
  });
  afterEach(async () => h?.close());

  it("reads a 1%-changed cycle's CRM side in the first call: the listed rows and the records asked for", async () => {
    await sellerEdit(ids[1]!, 'Seller one');
    await sellerEdit(ids[2]!, 'Seller two');
    await ownWrite(ids[3]!);
    const asked = [ids[4]!, ids[5]!, ids[1]!];
    h.dataverse.counters.reset();

    const listing = await adapter.openChanges!(cursor, known, asked);
    assert.equal(calls(), 1, 'one call: the listing, the guess and the records asked for');
    assert.deepEqual([...(listing.toRead ?? [])].sort(), [ids[1]!, ids[2]!].sort(), "the sellers' saves, not the connector's own write");
    assert.ok(listing.readAlong);
    assert.deepEqual([...listing.readAlong.asked].sort(), [...asked].sort());
    const readAlong = new Map(listing.readAlong.deals.map((d) => [d.crmId, d]));
    assert.deepEqual([...readAlong.keys()].sort(), [ids[1]!, ids[2]!, ids[4]!, ids[5]!].sort());
    for (const [id, deal] of readAlong) {
      // As a read by ID gives it: the same version and the same child rows.
      const [byId] = await adapter.getDeals([id]);
      assert.equal(deal.etag, byId!.etag);
      assert.deepEqual(deal.referral, byId!.referral);
    }
    h.dataverse.counters.reset();
    const engineReads = new Map<string, CrmDeal>([...readAlong].filter(([id]) => listing.toRead!.includes(id)));
    const pages = await collect(listing.pages(engineReads));
    assert.equal(calls(), 0, 'the pages take the listed rows from the first call');
    // Records asked for and not listed reach no page, nor the position.
    assert.deepEqual(dealIds(pages), [ids[1]!, ids[2]!].sort());
    const plain = await collect(adapter.readChanges(cursor, known));
    assert.deepEqual(dealIds(plain), dealIds(pages));
    assert.ok(position(lastCursor(pages)).version);
    assert.deepEqual(position(lastCursor(pages)), position(lastCursor(plain)));
  });

  it('costs one call without an opened listing, and the connector\'s own writes (echoes) cost nothing', async () => {
    await ownWrite(ids[3]!);
    await ownWrite(ids[6]!);
    await sellerEdit(ids[2]!, 'Seller two');
    h.dataverse.counters.reset();
    const pages = await run(cursor);
    assert.equal(calls(), 1, JSON.stringify(h.dataverse.counters.snapshot()));
    assert.deepEqual(dealIds(pages), [ids[2]!]);
    assert.equal(pages.flatMap((p) => p.deals)[0]!.referral.dealName, 'Seller two');
  });

  it('reads a row saved between the tracking read and the guess again, never the guessed version', async () => {
    await sellerEdit(ids[1]!, 'Seller one');
    const saved = saveAsSellerAfterBatchRead(h, (query) => query.has('$deltatoken'), ids[1]!, { name: 'Seller one, again' });
    const listedVersion = (await adapter.getDeals([ids[1]!]))[0]!.etag;
    h.dataverse.counters.reset();
    const listing = await adapter.openChanges!(cursor, known, []);
    assert.ok(saved(), 'the save came between the two reads');
    assert.deepEqual(listing.toRead, [ids[1]!]);
    assert.equal(listing.readAlong?.deals.some((d) => d.crmId === ids[1]), false, 'the guess holds another version than the listed one');
    const pages = await collect(listing.pages(new Map(listing.readAlong?.deals.map((d) => [d.crmId, d]))));
    const deal = pages.flatMap((p) => p.deals).find((d) => d.crmId === ids[1]);
    assert.ok(deal && deal.etag !== listedVersion);
    assert.equal(deal.referral.dealName, 'Seller one, again');
    assert.equal(calls(), 2, 'the first call and the read after it');
  });

  it('lists deletions as before, and leaves a deleted record asked for to the engine', async () => {
    await h.control('seller/delete', { id: ids[7]! });
    await h.control('seller/delete', { id: ids[8]! });
    await sellerEdit(ids[2]!, 'Seller two');
    const listing = await adapter.openChanges!(cursor, known, [ids[8]!, ids[9]!]);
    assert.deepEqual(listing.readAlong?.asked, [ids[9]!], 'a record listed as deleted is not handed back as read');
    const pages = await collect(listing.pages(new Map(listing.readAlong?.deals.map((d) => [d.crmId, d]))));
    assert.deepEqual(deletedIds(pages), [ids[7]!, ids[8]!].sort());
    assert.deepEqual(dealIds(pages), [ids[2]!]);
  });

  it('costs a bulk change larger than a tracking page what it cost without the guess', async () => {
    const small = h.makeAdapter({ pageSize: 4 }, { now: () => clock.now() });
    for (const id of ids.slice(0, 10)) await sellerEdit(id, `Bulk ${id}`);
    const { appUserId: _user, ...unguessed } = cursor;
    // The stage list is read once per adapter (cached): read before counting.
    await small.getDeals([ids[11]!]);
    h.dataverse.counters.reset();
    const before = await collect(small.readChanges(unguessed, known));
    const without = calls();
    assert.equal(guessed(), false);
    h.dataverse.counters.reset();
    const pages = await collect(small.readChanges(cursor, known));
    assert.ok(guessed(), 'the guess was made');
    assert.equal(calls(), without, 'no more calls');
    assert.deepEqual(dealIds(pages), dealIds(before));
    assert.deepEqual(position(lastCursor(pages)), position(lastCursor(before)));
  });

  it('vouches for no asked record a paged answer did not reach (a server paging below the chunk): the engine would take it as gone', async () => {
    h.dataverse.store.pageLimit = 2;
    const asked = ids.slice(4, 9);
    const listing = await adapter.openChanges!(cursor, known, asked);
    assert.ok(guessed(), 'the guess was made');
    assert.ok(listing.readAlong);
    const read = new Set(listing.readAlong.deals.map((d) => d.crmId));
    assert.deepEqual(listing.readAlong.asked.filter((id) => !read.has(id)), [], 'every record handed back as asked comes with its deal');
    await collect(listing.pages(new Map(listing.readAlong.deals.map((d) => [d.crmId, d]))));
  });

  it('keeps the newest saves in the guess: a bulk save handled by the last run does not push the new ones off its page', async () => {
    const more = seedOpportunities(h, 600, {});
    let pages = await run(cursor);
    clock.advance(MINUTE);
    for (const id of more.slice(0, 300)) await sellerEdit(id, `First ${id}`);
    pages = await run(lastCursor(pages));
    clock.advance(MINUTE);
    for (const id of more.slice(300)) await sellerEdit(id, `Second ${id}`);
    h.dataverse.counters.reset();
    pages = await run(lastCursor(pages));
    assert.equal(pages.flatMap((p) => p.deals).length, 300);
    assert.equal(calls(), 1, 'the 300 new saves fit the guess: ' + JSON.stringify(h.dataverse.counters.snapshot()));
  });

  it("asks WhoAmI again when the cursor's application user was learnt under another client ID (a credential change)", async () => {
    const ownClient = cursor.appUserClientId;
    assert.equal(typeof ownClient, 'string', 'the client ID the user belongs to is kept with it');
    await sellerEdit(ids[2]!, 'Seller two');
    const pages = await run({ ...cursor, appUserId: SELLER_USER_ID, appUserClientId: 'another-app-registration' });
    assert.ok(operations.some((op) => op.startsWith('GET WhoAmI')), 'WhoAmI asked: ' + operations.join('; '));
    assert.equal(guessed(), false, "no guess filtered on another app's user");
    assert.deepEqual(dealIds(pages), [ids[2]!]);
    assert.equal(lastCursor(pages).appUserId, cursor.appUserId);
    assert.equal(lastCursor(pages).appUserClientId, ownClient);
  });

  it('lets the guess go when the delta token is refused and the run falls back to the watermark', async () => {
    // The connector's clock says a minute passed, the server's that the token is past its 7 days.
    const behind = h.makeAdapter({}, { now: () => new Date(clock.now().getTime() - 8 * 24 * 60 * MINUTE) });
    clock.advance(8 * 24 * 60 * MINUTE);
    await sellerEdit(ids[2]!, 'Seller two');
    const released: number[] = [];
    const release = Speculated.prototype.release;
    Speculated.prototype.release = function (this: Speculated) {
      released.push(this.asked.length);
      release.call(this);
    };
    try {
      const listing = await behind.openChanges!(cursor, known, [ids[4]!]);
      assert.ok(guessed(), 'the guess was made');
      const pages = await collect(listing.pages());
      assert.ok(dealIds(pages).includes(ids[2]!), 'the fallback lists the save');
      assert.deepEqual(released, [1], 'the guess (holding the record asked for) was let go');
    } finally {
      Speculated.prototype.release = release;
    }
  });

  it('makes no guess after a long pause: the run reads as before', async () => {
    clock.advance(2 * 60 * MINUTE);
    await sellerEdit(ids[2]!, 'Seller two');
    const listing = await adapter.openChanges!(cursor, known, [ids[4]!]);
    assert.equal(guessed(), false);
    assert.equal(listing.readAlong, undefined, 'the engine reads the records it asked for itself');
    const pages = await collect(listing.pages());
    assert.deepEqual(dealIds(pages), [ids[2]!]);
    // Two hours on, the kept stage list (an hour: connectors/stage-cache.ts) is listed again, once, in the first call.
    assert.equal(h.dataverse.counters.get('$batch GET processstages'), 1);
    assert.equal(h.dataverse.counters.get('GET processstages'), 0);
    assert.equal(calls(), 2, 'the first call and the read after it, as without the guess');
  });
});
