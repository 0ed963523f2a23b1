import assert from 'node:assert/strict';
import { MAX_KEPT, parseOutageVersions, withOutageVersions } from '../../../core/engine/outage-versions.js';

const OUTAGE = { since: '2026-12-08T01:00:00.000Z', reason: 'HTTP 503' };

describe('the versions the turns of a Partner Center outage left unlinked records at (outage-versions.ts)', () => {
  it("keeps a record's latest version, and drops it when the turn left it at none of its own", () => {
    const one = withOutageVersions(new Map(), [{ crmId: 'opp-1', etag: 'v1' }], OUTAGE);
    assert.deepEqual(one, { since: OUTAGE.since, versions: { 'opp-1': 'v1' } });
    const stored = parseOutageVersions(one, OUTAGE);
    assert.deepEqual(withOutageVersions(stored, [{ crmId: 'opp-1', etag: 'v2' }], OUTAGE).versions, { 'opp-1': 'v2' });
    assert.deepEqual(withOutageVersions(stored, [{ crmId: 'opp-1', etag: undefined }], OUTAGE).versions, {});
  });

  it("is none for another outage's entry (an earlier outage's versions say nothing of this one)", () => {
    const earlier = withOutageVersions(new Map(), [{ crmId: 'opp-1', etag: 'v1' }], { since: '2026-12-07T09:00:00.000Z', reason: 'HTTP 503' });
    assert.equal(parseOutageVersions(earlier, OUTAGE).size, 0);
    assert.equal(parseOutageVersions(undefined, OUTAGE).size, 0);
    assert.deepEqual([...parseOutageVersions({ since: OUTAGE.since, versions: { a: 'v', b: 1, c: null } }, OUTAGE)], [['a', 'v']]);
  });

  it('keeps the latest records when there are too many', () => {
    let versions = parseOutageVersions(undefined, OUTAGE);
    for (let i = 0; i < MAX_KEPT + 5; i += 100) {
      const page = Array.from({ length: 100 }, (_, j) => ({ crmId: `opp-${i + j}`, etag: 'v' }));
      versions = parseOutageVersions(withOutageVersions(versions, page, OUTAGE), OUTAGE);
    }
    assert.equal(versions.size, MAX_KEPT);
    assert.ok(versions.has(`opp-${MAX_KEPT + 99}`) && !versions.has('opp-0'), 'the earliest go first');
  });
});
