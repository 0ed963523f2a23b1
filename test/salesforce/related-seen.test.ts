/**
 * Known related-row versions (connectors/salesforce/feed-window.ts, issue 13): the related rows a run handed
 * over that the next window lists again are remembered by version, and cost nothing next time for a settled
 * deal. Pure.
 */
import assert from 'node:assert/strict';
import { anchorAfterRun, anchorOf, MAX_RELATED_SEEN, unseenChanges } from '../../connectors/salesforce/feed-window.js';
import type { RelatedChange } from '../../connectors/salesforce/related-changes.js';

const READ_AT = '2026-03-10T12:00:00.000Z';
const change = (key: string, version: string, at: string, parentId = '006000000000001AAA'): RelatedChange => ({ key, version, at, parentId });

describe('Salesforce related-row changes already handed over (pure)', () => {
  const recent = change('00K000000000001AAA', 'v1', '2026-03-10T11:58:00.000Z');
  const old = change('00q000000000001AAA', 'v2', '2026-03-10T11:50:00.000Z');

  it('remembers the versions the next window lists again (at or after readAt less the margin), the latest first, at most MAX_RELATED_SEEN', () => {
    const anchor = anchorAfterRun({ readAt: READ_AT, ownThrough: undefined, userId: undefined, recheck: new Set(), related: [old, recent], marginMs: 300_000 });
    assert.equal(anchor.relatedSeen, '00K000000000001AAA=v1');
    assert.equal(anchorOf(anchor as Record<string, unknown>).relatedSeen, anchor.relatedSeen, 'read back from the cursor');
    const many = Array.from({ length: MAX_RELATED_SEEN + 5 }, (_, i) => change(`r${i}`, 'v', new Date(Date.parse(READ_AT) - i * 100).toISOString()));
    const capped = anchorAfterRun({ readAt: READ_AT, ownThrough: undefined, userId: undefined, recheck: new Set(), related: many, marginMs: 300_000 }).relatedSeen!.split(',');
    assert.equal(capped.length, MAX_RELATED_SEEN);
    assert.equal(capped[0], 'r0=v');
  });

  it('leaves out a known version of a settled deal, and nothing else', () => {
    const seen = '00K000000000001AAA=v1';
    const settled = () => true;
    assert.deepEqual(unseenChanges([recent], seen, settled), [], 'known version, settled deal');
    assert.deepEqual(unseenChanges([{ ...recent, version: 'v9' }], seen, settled).length, 1, 'the row changed again');
    assert.deepEqual(unseenChanges([recent], seen, () => false).length, 1, 'the deal has work of its own (parked, conflict, due hold)');
    assert.deepEqual(unseenChanges([recent], undefined, settled).length, 1, 'nothing remembered');
    assert.deepEqual(unseenChanges([recent], seen, undefined).length, 1, 'an engine that cannot say what is settled');
  });
});
