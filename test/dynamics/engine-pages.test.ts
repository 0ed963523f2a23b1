/** A 5,000-row tracking page reaches the engine 1,000 deals at a time (connectors/dynamics/engine-pages.ts). */
import assert from 'node:assert/strict';
import { inEnginePages } from '../../connectors/dynamics/engine-pages.js';
import type { FeedPage } from '../../connectors/dynamics/change-feed.js';
import type { CrmDeal } from '../../core/engine/crm-port.js';

const deal = (i: number) => ({ crmId: `id-${i}` }) as unknown as CrmDeal;

describe('Dynamics 365: engine pages', () => {
  it('splits a read page into pages of 1,000; only the last moves the cursor, only the first carries the deletions', () => {
    const page: FeedPage = { deals: Array.from({ length: 2500 }, (_, i) => deal(i)), deletedIds: ['gone'], cursor: { mode: 'delta', link: 'next' }, last: true };
    const pieces = [...inEnginePages(page, { mode: 'delta', link: 'before' })];
    assert.deepEqual(pieces.map((p) => p.deals.length), [1000, 1000, 500]);
    assert.deepEqual(pieces.map((p) => p.cursor.link), ['before', 'before', 'next']);
    assert.deepEqual(pieces.map((p) => p.deletedIds.length), [1, 0, 0]);
    assert.deepEqual(pieces.map((p) => p.last), [false, false, true]);
    assert.deepEqual(pieces.flatMap((p) => p.deals.map((d) => d.crmId)), Array.from({ length: 2500 }, (_, i) => `id-${i}`));
  });

  it('hands a page of 1,000 or fewer on as it is', () => {
    const page: FeedPage = { deals: [deal(1)], deletedIds: [], cursor: { mode: 'delta', link: 'next' }, last: false };
    const pieces = [...inEnginePages(page, { mode: 'delta', link: 'before' })];
    assert.equal(pieces.length, 1);
    assert.equal(pieces[0]!.cursor.link, 'next');
  });
});
