/**
 * The read-ahead with the CRM's feed opened early (core/engine/crm-read-ahead.ts, crm-listing.ts, issue 13):
 * the listing's records are read in the same call as the Partner Center phase's, kept for its pages until
 * our own write changes them, and a listed deal the Partner Center phase decided on is known as decided.
 */
import assert from 'node:assert/strict';
import { openListing } from '../../../connectors/change-listing.js';
import type { CrmAdapter, CrmChangePage, CrmDeal, CrmWrite } from '../../../core/engine/crm-port.js';
import { runContext, type RunContext } from '../../../core/engine/context.js';
import { CrmListing } from '../../../core/engine/crm-listing.js';
import { CrmReadAhead, LISTED_READ_TOGETHER } from '../../../core/engine/crm-read-ahead.js';
import type { PartnerCenterPage, PartnerCenterPort } from '../../../core/engine/ports.js';
import { WriteBuffer } from '../../../core/engine/write-buffer.js';
import { silentLogger } from '../../../core/logger.js';
import { openMemoryStore } from '../../../core/store/memory-store.js';
import { outboundDeal } from '../../helpers/referrals.js';

const NOW = new Date('2026-12-05T10:00:00.000Z');
const deal = (crmId: string, etag = `v1-${crmId}`): CrmDeal => ({ crmId, modifiedAt: NOW.toISOString(), etag, intent: { optedIn: true }, referral: outboundDeal({ crmId }), problems: [] });

/** A CRM whose feed announces `listed`, and which counts its reads by ID. */
function crmListing(listed: string[] | undefined, options: { gone?: Set<string>; failOpen?: boolean; readAlong?: (asked: readonly string[]) => { deals: CrmDeal[]; asked: string[] } } = {}) {
  const reads: string[][] = [];
  const alsoRead: (readonly string[] | undefined)[] = [];
  const crm = {
    maxBatchSize: 200,
    async getDeals(ids: readonly string[]) {
      reads.push([...ids]);
      return ids.filter((id) => !options.gone?.has(id)).map((id) => deal(id));
    },
    async openChanges(_cursor: unknown, _known: unknown, asked?: readonly string[]) {
      alsoRead.push(asked);
      if (options.failOpen) throw new Error('first call refused');
      return openListing(async function* (announce): AsyncGenerator<CrmChangePage> {
        await announce(listed, options.readAlong?.(asked ?? []));
        yield { deals: [], deletedIds: [], cursor: {} };
      });
    },
  } as unknown as CrmAdapter;
  return { crm, reads, alsoRead };
}

function setUp(crm: CrmAdapter, linked: number): { ctx: RunContext; readAhead: CrmReadAhead; pages: PartnerCenterPage[] } {
  const store = openMemoryStore();
  const referrals = Array.from({ length: linked }, (_, i) => outboundDeal({ referralId: `ref-${i}`, crmId: `pc-${i}`, eTag: `changed-${i}` }));
  store.transaction((tx) => {
    for (const r of referrals) tx.putLink({ crmId: r.crmId!, referralId: r.referralId!, base: r, pcEtag: 'older', state: 'active', updatedAt: NOW.toISOString() });
  });
  const ctx = runContext({ crm, partnerCenter: {} as PartnerCenterPort, store, logger: silentLogger(), now: () => NOW }, {});
  const buffer = new WriteBuffer(ctx, (writes) => readAhead.forget(writes));
  const readAhead = new CrmReadAhead(ctx, new CrmListing(ctx, buffer));
  return { ctx, readAhead, pages: [{ referrals, unmappable: [], cursor: undefined }] };
}

describe('the read-ahead with the CRM feed opened early', () => {
  it("reads the listing's records with the Partner Center phase's in one call and keeps them for its pages", async () => {
    const { crm, reads } = crmListing(['listed-1', 'listed-2', 'pc-0']);
    const { readAhead, pages } = setUp(crm, 2);
    await readAhead.prepare(pages);
    assert.equal(reads.length, 1, 'one read');
    assert.deepEqual([...reads[0]!].sort(), ['listed-1', 'listed-2', 'pc-0', 'pc-1']);
    const served = await readAhead.current(['pc-0', 'pc-1']);
    assert.equal(reads.length, 1, 'the page is served from that read');
    assert.deepEqual([...readAhead.listingReads().keys()].sort(), ['listed-1', 'listed-2', 'pc-0']);

    // The Partner Center phase decided pc-0 as read: that version needs no decision in the CRM phase.
    readAhead.markDecided(served.get('pc-0')!);
    assert.equal(readAhead.decidedHere(served.get('pc-0')!), true);
    assert.equal(readAhead.decidedHere(deal('pc-0', 'v2-saved-since')), false, 'a version saved since is decided again');
    readAhead.markDecided(served.get('pc-1')!);
    assert.equal(readAhead.decidedHere(served.get('pc-1')!), false, 'a record the listing does not name is not the CRM phase\'s');

    // Our own write to a listed record: what was read of it is not handed to the pages.
    readAhead.forget([{ kind: 'status', key: 'listed-2', crmId: 'listed-2' } as CrmWrite]);
    assert.deepEqual([...readAhead.listingReads().keys()].sort(), ['listed-1', 'pc-0']);
  });

  it('drops a listed record read again and found gone, and reads a large listing apart', async () => {
    const gone = new Set<string>();
    const { crm, reads } = crmListing(['listed-1'], { gone });
    const { readAhead, pages } = setUp(crm, 2);
    await readAhead.prepare(pages);
    assert.ok(readAhead.listingReads().has('listed-1'));
    gone.add('listed-1');
    readAhead.forget([{ kind: 'status', key: 'listed-1', crmId: 'listed-1' } as CrmWrite]);
    await readAhead.current(['listed-1']);
    assert.equal(reads.length, 2);
    assert.equal(readAhead.listingReads().has('listed-1'), false);

    const many = Array.from({ length: LISTED_READ_TOGETHER + 1 }, (_, i) => `listed-${i}`);
    const large = crmListing(many);
    const second = setUp(large.crm, 2);
    await second.readAhead.prepare(second.pages);
    // One Partner Center page of two referrals reads itself: the listing's rows are read by its own pages.
    assert.equal(large.reads.length, 0);
    assert.equal(second.readAhead.listingReads().size, 0);
  });

  it("takes what the listing's first call read along: no read of its own when that was everything", async () => {
    // The first call read every asked record (pc-1 is gone) and the listed record in full.
    const { crm, reads, alsoRead } = crmListing(['listed-1', 'pc-0'], { readAlong: (asked) => ({ deals: [deal('pc-0'), deal('listed-1')], asked: [...asked] }) });
    const { readAhead, pages } = setUp(crm, 2);
    await readAhead.prepare(pages);
    assert.deepEqual(alsoRead, [['pc-0', 'pc-1']], 'the records the Partner Center phase needs are named when the feed is opened');
    const served = await readAhead.current(['pc-0', 'pc-1']);
    assert.deepEqual(reads, [], 'no read by ID');
    assert.deepEqual([...served.keys()], ['pc-0'], 'an asked record the first call did not return is gone');
    assert.deepEqual([...readAhead.listingReads().keys()].sort(), ['listed-1', 'pc-0'], "the listing's records are kept for its pages");
  });

  it('reads the asked records the first call did not read (a cut query), with the listed ones left, in one call', async () => {
    const { crm, reads } = crmListing(['listed-1', 'listed-2'], { readAlong: () => ({ deals: [deal('pc-0'), deal('listed-1')], asked: ['pc-0'] }) });
    const { readAhead, pages } = setUp(crm, 2);
    await readAhead.prepare([pages[0]!, { ...pages[0]!, referrals: [] }]);
    assert.deepEqual(reads.map((r) => [...r].sort()), [['listed-2', 'pc-1']]);
    const served = await readAhead.current(['pc-0', 'pc-1']);
    assert.equal(served.size, 2);
    assert.equal(reads.length, 1);
  });

  it('carries on without the listing when its first call fails', async () => {
    const { crm, reads } = crmListing(['listed-1'], { failOpen: true });
    const { readAhead, pages } = setUp(crm, 2);
    await readAhead.prepare(pages);
    const served = await readAhead.current(['pc-0', 'pc-1']);
    assert.equal(served.size, 2);
    assert.deepEqual(reads, [['pc-0', 'pc-1']]);
    assert.equal(readAhead.listingReads().size, 0);
  });
});
