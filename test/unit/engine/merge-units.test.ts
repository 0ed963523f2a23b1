/**
 * readUnit's customer units: the customer field a unit names is remembered per unit (units.ts
 * `customerFieldOf`), so a unit read again, a top-level unit whose name starts like one, and a unit named
 * for an empty customer field must each read what they read before. Pure.
 */
import assert from 'node:assert/strict';
import { readUnit, writeUnit, writeUnits } from '../../../core/engine/merge/units.js';
import { outboundDeal } from '../../helpers/referrals.js';

describe('merge units: readUnit', () => {
  it('reads customer units from the customer, every other unit from the referral, however often asked', () => {
    const referral = outboundDeal({ customer: { name: 'Contoso', city: 'Redmond', country: 'US' }, customerContact: { firstName: 'Alex', lastName: 'Kim', email: 'alex@customer.example', phone: '+1 555 0100' } });
    for (let i = 0; i < 3; i += 1) {
      assert.equal(readUnit(referral, 'customer.city'), 'Redmond');
      assert.equal(readUnit(referral, 'customer.name'), 'Contoso');
      assert.equal(readUnit(referral, 'customer.state'), undefined);
      assert.deepEqual(readUnit(referral, 'customerContact'), referral.customerContact);
      assert.equal(readUnit(referral, 'dealName'), referral.dealName);
      assert.equal(readUnit(referral, 'customer.'), undefined);
    }
    const moved = writeUnit(referral, 'customer.city', 'Seattle');
    assert.equal(readUnit(moved, 'customer.city'), 'Seattle');
    assert.equal(readUnit(referral, 'customer.city'), 'Redmond');
  });
});

describe('merge units: writeUnits', () => {
  // Two ways to the copy (units.ts `assigned`): a spread copy with the values stored over it when no key is
  // taken out, a key-by-key copy when one is. Both must give the same referral, and never change the input.
  it('replaces and adds values in one copy, the input untouched', () => {
    const referral = outboundDeal({ customer: { name: 'Contoso', city: 'Redmond', country: 'US' } });
    const before = structuredClone(referral);
    const next = writeUnits(referral, [['value', 5], ['customer.city', 'Seattle'], ['crmInvitationRequests', ['p-1']], ['status', { status: 'Closed', substatus: 'Won' }]]);
    assert.deepEqual(referral, before);
    assert.deepEqual(next, { ...referral, value: 5, customer: { ...referral.customer, city: 'Seattle' }, crmInvitationRequests: ['p-1'], status: 'Closed', substatus: 'Won' });
    assert.notEqual(next.customer, referral.customer);
  });

  it('leaves out a key whose value is written as undefined, and keeps no key holding undefined', () => {
    const referral = outboundDeal({ notes: 'kept?', customer: { name: 'Contoso', city: 'Redmond', country: 'US' } });
    const next = writeUnits(referral, [['notes', undefined], ['value', 9], ['customer.city', undefined], ['marketingCampaignId', undefined]]);
    assert.equal(Object.hasOwn(next, 'notes'), false);
    assert.equal(Object.hasOwn(next.customer, 'city'), false);
    assert.equal(next.value, 9);
    assert.equal(referral.notes, 'kept?');
    assert.ok(Object.values(next).every((v) => v !== undefined));
    // A key the referral does not hold, written as undefined, is no removal: nothing else moves.
    const same = writeUnits(referral, [['helpType', undefined]]);
    assert.deepEqual(same, referral);
    assert.equal(Object.hasOwn(same, 'helpType'), false);
  });
});
