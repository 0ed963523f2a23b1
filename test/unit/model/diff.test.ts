import assert from 'node:assert/strict';
import { changedPaths, sameValue } from '../../../core/model/index.js';
import { outboundDeal } from '../../helpers/referrals.js';

describe('changedPaths', () => {
  it('lists nested customer members one by one and collections as a whole', () => {
    const before = outboundDeal();
    const after = outboundDeal({ value: 1, team: [] });
    after.customer.city = 'Seattle';
    assert.deepEqual(changedPaths(before, after), ['customer.city', 'team', 'value']);
  });
  it('treats a missing key and undefined as the same', () => {
    assert.equal(sameValue({ a: 1, b: undefined }, { a: 1 }), true);
    assert.deepEqual(changedPaths(outboundDeal({ notes: undefined }), (() => { const d = outboundDeal(); delete d.notes; return d; })()), []);
  });
});
