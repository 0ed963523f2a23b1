/**
 * The Partner Center change feed's overlap window at bulk size (issue 13): the delivered versions are
 * looked up by id with the same answers as a scan of the list, and a page's checkpoint carries that
 * page's versions only, the listing's last page the whole window — before, every checkpoint carried
 * every version delivered so far, and writing those made the read-back of a bulk quadratic.
 */
import assert from 'node:assert/strict';
import type { ApiReferral } from '../../connectors/partner-center/api-types.js';
import { readChanges, type ChangeCursor, type ChangePage } from '../../connectors/partner-center/change-feed.js';
import { DeliveredVersions, type DeliveredVersion } from '../../connectors/partner-center/delivered-versions.js';
import type { RawReferralPage, ReferralsEndpoint } from '../../connectors/partner-center/referrals.js';
import { referralJson } from '../helpers/partner-center-client.js';

/** What the cursor's list answered before the keyed set: the newest version per id, compared in full. */
function scanned(versions: DeliveredVersion[], probe: DeliveredVersion): boolean {
  const newest = new Map<string, DeliveredVersion>();
  for (const v of versions) {
    const held = newest.get(v.id);
    if (!held || Date.parse(v.updatedDateTime) >= Date.parse(held.updatedDateTime)) newest.set(v.id, v);
  }
  return [...newest.values()].some((v) => v.id === probe.id && v.updatedDateTime === probe.updatedDateTime && (v.eTag ?? '') === (probe.eTag ?? ''));
}

/** A listing endpoint serving `referrals` in pages of 100, every page answered at `serverTime`. */
function fakeEndpoint(referrals: ApiReferral[], serverTime: string): ReferralsEndpoint {
  return {
    async *list(): AsyncGenerator<RawReferralPage> {
      for (let i = 0; i < referrals.length || i === 0; i += 100) {
        yield { value: referrals.slice(i, i + 100), hasMore: i + 100 < referrals.length, pageNumber: i / 100 + 1, serverTime };
      }
    },
  } as unknown as ReferralsEndpoint;
}

async function drain(pages: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const out: ChangePage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('Partner Center change feed: the overlap window at bulk size', () => {
  it('answers "already delivered" by id exactly as a scan of the delivered list', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const make = (): DeliveredVersion => {
      const second = String(random(5)).padStart(2, '0');
      return { id: `r${random(40)}`, updatedDateTime: `2026-01-01T10:00:${second}.000Z`, ...(random(3) ? { eTag: `"e${random(3)}"` } : {}) };
    };
    const versions = Array.from({ length: 300 }, make);
    const set = new DeliveredVersions(versions);
    for (let i = 0; i < 2_000; i += 1) {
      const probe = i % 2 ? make() : versions[random(versions.length)]!;
      assert.equal(set.has(probe), scanned(versions, probe), JSON.stringify(probe));
    }
  });

  it('checkpoints a bulk page by page with that page’s versions, and the whole window on the last page', async () => {
    const stamp = '2026-01-01T10:00:00.000Z';
    const bulk = Array.from({ length: 1_000 }, (_, i) => referralJson(`bulk-${String(i).padStart(4, '0')}`, { updatedDateTime: stamp, eTag: `"v1-${i}"` }) as ApiReferral);
    const serverTime = '2026-01-01T10:00:30.000Z';
    const pages = await drain(readChanges(fakeEndpoint(bulk, serverTime), undefined, { overlapMs: 120_000 }));
    assert.equal(pages.length, 10);
    assert.equal(pages.flatMap((p) => p.referrals).length, 1_000);
    for (const page of pages.slice(0, -1)) assert.ok((page.cursor?.recent.length ?? 0) <= 100, `page ${page.pageNumber} checkpoint holds ${page.cursor?.recent.length} versions`);
    const last = pages.at(-1)!.cursor as ChangeCursor;
    assert.equal(last.recent.length, 1_000, 'the next window re-reads the whole bulk, so its last checkpoint remembers it');
    assert.equal(last.readAt, serverTime);

    // The next run re-reads the bulk in its overlap and delivers none of it; a changed version is delivered.
    const changed = bulk.map((r, i) => (i === 500 ? { ...r, updatedDateTime: '2026-01-01T10:00:40.000Z', eTag: '"v2-500"' } : r));
    const again = await drain(readChanges(fakeEndpoint(changed, '2026-01-01T10:01:00.000Z'), last, { overlapMs: 120_000 }));
    assert.deepEqual(again.flatMap((p) => p.referrals.map((r) => r.referralId)), ['bulk-0500']);
    assert.equal(again.reduce((n, p) => n + p.duplicatesSkipped, 0), 999);

    // Resumed from a page's checkpoint, that page's referrals are not delivered again.
    const third = pages[2]!;
    const resumed = await drain(readChanges(fakeEndpoint(bulk, serverTime), third.cursor, { overlapMs: 120_000 }));
    const thirdIds = new Set(third.referrals.map((r) => r.referralId));
    assert.equal(resumed.flatMap((p) => p.referrals).filter((r) => thirdIds.has(r.referralId)).length, 0);
  });
});
