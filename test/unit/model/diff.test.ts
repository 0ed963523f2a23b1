import assert from 'node:assert/strict';
import { changedPaths, holdsWhereDefined, sameValue } from '../../../core/model/index.js';
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

describe('sameValue and holdsWhereDefined (walked key by key)', () => {
  it('sameValue compares the keys of either side, nested, and arrays element by element', () => {
    assert.equal(sameValue({ a: 1 }, { a: 1, b: 2 }), false, 'a key only the right side has');
    assert.equal(sameValue({ a: 1, b: 2 }, { a: 1 }), false, 'a key only the left side has');
    assert.equal(sameValue({ a: undefined }, { b: undefined }), true, 'undefined keys on both sides, different names');
    assert.equal(sameValue({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } }), true);
    assert.equal(sameValue({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 3 }] } }), false);
    assert.equal(sameValue([1, 2], [1, 2, 3]), false);
    assert.equal(sameValue({ a: null }, { a: undefined }), false);
    assert.equal(sameValue([], {}), false);
  });

  it('holdsWhereDefined: what a side leaves undefined is no opinion; what it holds must match', () => {
    assert.equal(holdsWhereDefined({ status: 'Pending', requestedAt: undefined }, { status: 'Pending', requestedAt: '2026-01-01' }), true);
    assert.equal(holdsWhereDefined({ status: 'Pending' }, { status: 'Approved' }), false);
    assert.equal(holdsWhereDefined({ a: { b: 1 } }, { a: { b: 1, c: 2 } }), true);
    assert.equal(holdsWhereDefined({ a: 1 }, null), false);
    assert.equal(holdsWhereDefined({ a: 1 }, [1]), false);
    assert.equal(holdsWhereDefined([{ a: 1 }], [{ a: 1, b: 2 }]), true);
    assert.equal(holdsWhereDefined([{ a: 1 }], [{ a: 1 }, { a: 2 }]), false);
  });
});
