/**
 * A record without a referral ID: the write-backs a clone copied are emptied when its first referral is linked
 * (assemble.ts `copiedWriteBacks`, write.ts). A listing reads the connector-kept long text fields of linked
 * records only (long-text-apart.ts `readsApartFields`); on a row where they were not read they may hold copies,
 * so they count as copied, and they read as emptied either way (`ownFields`).
 */
import assert from 'node:assert/strict';
import { copiedWriteBacks, ownFields } from '../../connectors/salesforce/assemble.js';
import { LONG_TEXT_APART, readsApartFields } from '../../connectors/salesforce/long-text-apart.js';
import { F } from '../../mappings/custom-fields.salesforce.js';

describe('Salesforce copied write-backs: kept fields not read', () => {
  it('an unlinked row without the kept fields counts them as copied, and reads them as emptied', () => {
    const row = { Id: '006000000000001AAA', [F.referralId]: null, [F.direction]: null };
    assert.deepEqual(copiedWriteBacks(row).sort(), [...LONG_TEXT_APART].sort());
    const own = ownFields(row);
    for (const field of LONG_TEXT_APART) assert.equal(own[field], null);
  });

  it('an unlinked row with the kept fields read counts only those holding a value', () => {
    const row = { Id: '006000000000001AAA', [F.referralId]: '', [F.outsideTeam]: '[{"Email":"a@b.example"}]', [F.invitations]: null };
    assert.deepEqual(copiedWriteBacks(row), [F.outsideTeam]);
  });

  it('a linked row has no copies, read or not, and its kept fields are read', () => {
    const row = { Id: '006000000000001AAA', [F.referralId]: 'ref-1' };
    assert.deepEqual(copiedWriteBacks(row), []);
    assert.equal(readsApartFields(row), true);
    assert.equal(readsApartFields({ ...row, [F.referralId]: ' ' }), false);
  });
});
