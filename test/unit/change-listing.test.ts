/**
 * connectors/change-listing.ts: a CRM feed opened by its first call, its pages taken later with the
 * engine's reads (issue 13).
 */
import assert from 'node:assert/strict';
import { openListing, type AnnounceToRead } from '../../connectors/change-listing.js';
import type { CrmChangePage, CrmDeal } from '../../core/engine/crm-port.js';

const page = (ids: string[], cursor = { at: ids.join(',') }): CrmChangePage => ({ deals: ids.map((id) => ({ crmId: id }) as CrmDeal), deletedIds: [], cursor });

describe('a CRM change listing opened before its pages are read', () => {
  it('returns after the first call with what the pages will read, and hands the engine reads to the pages', async () => {
    const steps: string[] = [];
    let given: ReadonlyMap<string, CrmDeal> | undefined;
    const listing = await openListing(async function* (announce: AnnounceToRead) {
      steps.push('first call');
      given = await announce(['a', 'b']);
      steps.push('pages read');
      yield page(['a', 'b']);
      yield page([]);
    });
    assert.deepEqual(listing.toRead, ['a', 'b']);
    assert.deepEqual(steps, ['first call'], 'nothing past the first call before the pages are asked');
    const reads = new Map([['a', { crmId: 'a' } as CrmDeal]]);
    const pages: CrmChangePage[] = [];
    for await (const p of listing.pages(reads)) pages.push(p);
    assert.equal(given, reads);
    assert.deepEqual(steps, ['first call', 'pages read']);
    assert.deepEqual(pages.map((p) => p.deals.map((d) => d.crmId)), [['a', 'b'], []]);
  });

  it('says nothing to read when the feed announces it cannot tell, and gives no reads to a feed that never asked', async () => {
    const unsure = await openListing(async function* (announce) {
      assert.equal(await announce(undefined), undefined, 'no reads were handed over');
      yield page(['x']);
    });
    assert.equal(unsure.toRead, undefined);
    const first: string[] = [];
    for await (const p of unsure.pages()) first.push(...p.deals.map((d) => d.crmId));
    assert.deepEqual(first, ['x']);

    // A feed that yields before announcing read its first page before the engine's writes: that page is
    // dropped and the feed started again when its pages are asked, so they are read then.
    let starts = 0;
    const silent = await openListing(async function* () {
      starts += 1;
      yield page([`p1 of start ${starts}`]);
      yield page([`p2 of start ${starts}`]);
    });
    assert.equal(silent.toRead, undefined);
    assert.equal(starts, 1);
    const ids: string[] = [];
    for await (const p of silent.pages(new Map())) ids.push(...p.deals.map((d) => d.crmId));
    assert.equal(starts, 2);
    assert.deepEqual(ids, ['p1 of start 2', 'p2 of start 2']);
  });

  it('fails to open when the first call fails, and hands its pages on once', async () => {
    await assert.rejects(
      openListing(async function* () {
        await Promise.reject(new Error('token refused'));
        yield page([]);
      }),
      /token refused/,
    );
    const listing = await openListing(async function* (announce) {
      await announce([]);
      yield page([]);
    });
    for await (const _ of listing.pages()) void _;
    await assert.rejects(async () => {
      for await (const _ of listing.pages()) void _;
    }, /once/);
  });

  it('lets the feed end when the engine stops taking pages (a stopped run)', async () => {
    let ended = false;
    const listing = await openListing(async function* (announce) {
      await announce(['a']);
      try {
        yield page(['a']);
        yield page(['b']);
      } finally {
        ended = true;
      }
    });
    for await (const p of listing.pages()) {
      assert.deepEqual(p.deals.map((d) => d.crmId), ['a']);
      break;
    }
    assert.equal(ended, true);
  });
});
