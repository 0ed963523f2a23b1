/**
 * Known related-row versions (issue 13): a related row's version is what the deal reads of it, the same from
 * the full read and from the related-change query; a changed row whose version the related-row index holds,
 * for a settled deal, costs nothing. Pure.
 */
import assert from 'node:assert/strict';
import { unseenChanges } from '../../connectors/salesforce/feed-window.js';
import type { RelatedChange } from '../../connectors/salesforce/related-changes.js';
import { relatedRowVersion } from '../../connectors/salesforce/row-version.js';

const change = (key: string, version: string, parentId = '006000000000001AAA'): RelatedChange => ({ key, version, parentId, at: '2026-03-10T11:58:00.000Z' });

describe('Salesforce related-row versions (pure)', () => {
  it('are the content the deal reads: the same from the full read and the change query, whatever the stamps', () => {
    const fullRead = { attributes: { type: 'OpportunityContactRole' }, Id: '00K1', OpportunityId: '0061', IsPrimary: true, Contact: { attributes: { type: 'Contact' }, FirstName: 'Alex', Email: 'alex@customer.example' } };
    const listed = { ...fullRead, SystemModstamp: '2026-03-10T11:58:00.000+0000', Contact: { ...fullRead.Contact, SystemModstamp: '2026-03-10T11:57:00.000+0000' }, Opportunity: { SystemModstamp: '2026-03-10T11:59:00.000+0000' } };
    assert.equal(relatedRowVersion(listed), relatedRowVersion(fullRead));
    assert.notEqual(relatedRowVersion({ ...listed, Contact: { ...listed.Contact, Email: 'alex.b@customer.example' } }), relatedRowVersion(fullRead), 'a contact edit is a new version');
    assert.notEqual(relatedRowVersion({ ...listed, IsPrimary: false }), relatedRowVersion(fullRead));
  });

  it('leave out a known version of a settled deal, and nothing else', () => {
    const known = new Map([['00K1', 'v1']]);
    const settled = () => true;
    assert.deepEqual(unseenChanges([change('00K1', 'v1')], known, settled), [], 'known version, settled deal');
    assert.equal(unseenChanges([change('00K1', 'v9')], known, settled).length, 1, 'the row changed again');
    assert.equal(unseenChanges([change('00K1', 'v1')], known, () => false).length, 1, 'the deal has work of its own (parked, conflict, due hold)');
    assert.equal(unseenChanges([change('00q1', 'v1')], known, settled).length, 1, 'a row the index has no version of');
    assert.equal(unseenChanges([change('00K1', 'v1')], known, undefined).length, 1, 'an engine that cannot say what is settled');
  });
});
