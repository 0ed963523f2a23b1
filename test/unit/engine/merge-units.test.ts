/**
 * readUnit's customer units: the customer field a unit names is remembered per unit (units.ts
 * `customerFieldOf`), so a unit read again, a top-level unit whose name starts like one, and a unit named
 * for an empty customer field must each read what they read before. Pure.
 */
import assert from 'node:assert/strict';
import { readUnit, writeUnit } from '../../../core/engine/merge/units.js';
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
