import assert from 'node:assert/strict';
import { MAX_KEPT, parseUnlinkedVersions, withUnlinkedVersion } from '../../../core/engine/unlinked-versions.js';

const NOW = '2026-12-07T12:00:00.000Z';

describe('the versions own writes left on unlinked CRM records (unlinked-versions.ts)', () => {
  it('keeps the version of a write, replaces an older one of the same record, and drops it when the write was not the own', () => {
    const one = withUnlinkedVersion({}, 'opp-1', 'v1', NOW);
    assert.deepEqual(one, { 'opp-1': { etag: 'v1', at: NOW } });
    assert.deepEqual(withUnlinkedVersion(one, 'opp-1', 'v2', NOW), { 'opp-1': { etag: 'v2', at: NOW } });
    assert.deepEqual(withUnlinkedVersion(one, 'opp-1', undefined, NOW), {});
  });

  it('drops entries older than a day and keeps the newest when there are too many', () => {
    const old = { 'opp-old': { etag: 'x', at: '2026-12-06T11:59:59.000Z' }, 'opp-day': { etag: 'y', at: '2026-12-06T12:00:00.000Z' } };
    assert.deepEqual(Object.keys(withUnlinkedVersion(old, 'opp-new', 'v', NOW)).sort(), ['opp-day', 'opp-new']);
    let many = {};
    for (let i = 0; i < MAX_KEPT + 5; i++) many = withUnlinkedVersion(many, `opp-${i}`, 'v', new Date(Date.parse(NOW) + i * 1000).toISOString());
    const kept = Object.keys(many);
    assert.equal(kept.length, MAX_KEPT);
    assert.ok(kept.includes(`opp-${MAX_KEPT + 4}`) && !kept.includes('opp-0'), 'the oldest go first');
  });

  it('reads only entries of its own form from the stored value', () => {
    assert.deepEqual(parseUnlinkedVersions(undefined), {});
    assert.deepEqual(parseUnlinkedVersions(['x']), {});
    assert.deepEqual(parseUnlinkedVersions({ a: { etag: 'v', at: NOW }, b: { etag: 1 }, c: null }), { a: { etag: 'v', at: NOW } });
  });
});
