import assert from 'node:assert/strict';
import { MAX_KEPT, parseUnlinkedVersions, withUnlinkedVersions } from '../../../core/engine/unlinked-versions.js';

const NOW = '2026-12-07T12:00:00.000Z';

describe('the versions own writes left on unlinked CRM records (unlinked-versions.ts)', () => {
  it('keeps the version of a write, replaces an older one of the same record, and drops it when the write was not the own', () => {
    const one = withUnlinkedVersions({}, [{ crmId: 'opp-1', etag: 'v1' }], NOW);
    assert.deepEqual(one, { 'opp-1': { etag: 'v1', at: NOW } });
    assert.deepEqual(withUnlinkedVersions(one, [{ crmId: 'opp-1', etag: 'v2' }], NOW), { 'opp-1': { etag: 'v2', at: NOW } });
    assert.deepEqual(withUnlinkedVersions(one, [{ crmId: 'opp-1', etag: undefined }], NOW), {});
    const page = withUnlinkedVersions(one, [{ crmId: 'opp-2', etag: 'w2' }, { crmId: 'opp-1', etag: undefined }, { crmId: 'opp-3', etag: 'w3' }], NOW);
    assert.deepEqual(Object.keys(page).sort(), ['opp-2', 'opp-3'], "a page's writes at once");
  });

  it('drops entries older than a day and keeps the newest when there are too many', () => {
    const old = { 'opp-old': { etag: 'x', at: '2026-12-06T11:59:59.000Z' }, 'opp-day': { etag: 'y', at: '2026-12-06T12:00:00.000Z' } };
    assert.deepEqual(Object.keys(withUnlinkedVersions(old, [{ crmId: 'opp-new', etag: 'v' }], NOW)).sort(), ['opp-day', 'opp-new']);
    let many = {};
    for (let i = 0; i < MAX_KEPT + 5; i++) many = withUnlinkedVersions(many, [{ crmId: `opp-${i}`, etag: 'v' }], new Date(Date.parse(NOW) + i * 1000).toISOString());
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
