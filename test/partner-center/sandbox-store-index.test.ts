/**
 * The Partner Center sandbox's CRM-ID index: the connector looks a referral up by `externalReferenceId`
 * before every create, so the lookup must be indexed, and must answer exactly as the `$filter` would
 * (case-insensitively, and following a referral whose CRM ID changes in place).
 */
import assert from 'node:assert/strict';
import { ReferralStore, type StoredReferral } from '../../sandbox/partner-center/store.js';

const referral = (id: string, externalReferenceId?: string): StoredReferral => ({ id, organizationId: 'org', engagementId: `eng-${id}`, ...(externalReferenceId ? { externalReferenceId } : {}) });

describe('Partner Center sandbox: the CRM-ID index', () => {
  it('finds a referral by its CRM ID whatever the case, as $filter eq does', () => {
    const store = new ReferralStore();
    store.put(referral('a', '006ABC'));
    store.put(referral('b', '006XYZ'));
    assert.deepEqual(store.withExternalReferenceId('006abc').map((r) => r.id), ['a']);
    assert.deepEqual(store.withExternalReferenceId('006nope'), []);
  });

  it('follows a CRM ID changed in place, and forgets it when cleared', () => {
    const store = new ReferralStore();
    const r = referral('a', 'old-id');
    store.put(r);
    r.externalReferenceId = 'new-id';
    store.put(r);
    assert.deepEqual(store.withExternalReferenceId('old-id'), []);
    assert.deepEqual(store.withExternalReferenceId('new-id').map((x) => x.id), ['a']);
    delete r.externalReferenceId;
    store.put(r);
    assert.deepEqual(store.withExternalReferenceId('new-id'), []);
  });
});
