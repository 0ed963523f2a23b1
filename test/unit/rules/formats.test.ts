/** Limits and formats (bulk CSV seed; partner-center-api.md §1.11). */
import assert from 'node:assert/strict';
import { checkChange, checkCreate, isCalendarDate, isEmail, isPhone, type RuleContext } from '../../../core/rules/index.js';
import type { Referral } from '../../../core/model/index.js';
import { assertClean, assertRaised, ruleTitle } from '../../helpers/rules.js';
import { at, DAY_MS, outboundDeal, p2pDeal } from '../../helpers/referrals.js';

const ctx: RuleContext = { actor: 'us', now: at(DAY_MS) };
const member = (i: number) => ({ firstName: `F${i}`, lastName: `L${i}`, phone: `+1 425 555 ${String(1000 + i)}`, email: `m${i}@contoso.com` });
const solution = (i: number) => ({ id: `SOL-${1000 + i}-ABCD`, kind: 'own' as const });
const withCustomer = (change: Partial<Referral['customer']>) => {
  const deal = outboundDeal();
  deal.customer = { ...deal.customer, ...change };
  return deal;
};

describe(ruleTitle('limits.solutions'), () => {
  it('refuses 51 solutions', () => assertRaised(checkCreate(outboundDeal({ solutions: Array.from({ length: 51 }, (_, i) => solution(i)) }), ctx), 'limits.solutions', 'solutions'));
  it('allows 50 solutions', () => assertClean(checkCreate(outboundDeal({ solutions: Array.from({ length: 50 }, (_, i) => solution(i)) }), ctx)));
});

describe(ruleTitle('limits.team'), () => {
  it('refuses 51 team members', () => assertRaised(checkCreate(outboundDeal({ team: Array.from({ length: 51 }, (_, i) => member(i)) }), ctx), 'limits.team', 'team'));
  it('allows 50 team members', () => assertClean(checkCreate(outboundDeal({ team: Array.from({ length: 50 }, (_, i) => member(i)) }), ctx)));
});

describe(ruleTitle('format.country'), () => {
  it('refuses a three-letter country code', () => assertRaised(checkCreate(withCustomer({ country: 'USA' }), ctx), 'format.country', 'customer.country'));
  it('refuses an unassigned two-letter code', () => assertRaised(checkCreate(withCustomer({ country: 'XX' }), ctx), 'format.country', 'customer.country'));
  it('allows DE', () => assertClean(checkCreate(withCustomer({ country: 'DE' }), ctx)));
});

describe(ruleTitle('format.currency'), () => {
  it('refuses a currency that is not ISO 4217', () => assertRaised(checkCreate(outboundDeal({ currency: 'DOLLARS' }), ctx), 'format.currency', 'currency'));
  it("refuses a bad solution currency, naming the solution's field", () => {
    assertRaised(checkCreate(outboundDeal({ solutions: [{ id: 'SOL-1', kind: 'own', currency: 'ZZZ' }] }), ctx), 'format.currency', 'solutions[0].currency');
  });
  it('allows EUR', () => assertClean(checkCreate(outboundDeal({ currency: 'EUR' }), ctx)));
});

describe(ruleTitle('format.email'), () => {
  it('refuses a team email without a domain', () => {
    assertRaised(checkCreate(outboundDeal({ team: [{ ...member(1), email: 'bob@' }] }), ctx), 'format.email', 'team[0].email');
  });
  it("allows the seed's mixed-case sample Bob.partner@Contoso.com", () => assert.ok(isEmail('Bob.partner@Contoso.com')));
});

describe(ruleTitle('format.phone'), () => {
  it('refuses letters in a phone number', () => {
    assertRaised(checkCreate(outboundDeal({ team: [{ ...member(1), phone: 'call me' }] }), ctx), 'format.phone', 'team[0].phone');
  });
  it('refuses a number with 16 digits', () => assert.equal(isPhone('1234567890123456'), false));
  it("allows the seed's samples 999999 and 9999999999, and +44 (20) 7946-0958", () => {
    for (const phone of ['999999', '9999999999', '+44 (20) 7946-0958']) assert.ok(isPhone(phone), phone);
  });
});

describe(ruleTitle('format.value_positive'), () => {
  it('refuses a zero value', () => assertRaised(checkCreate(outboundDeal({ value: 0 }), ctx), 'format.value_positive', 'value'));
  it('refuses a negative value', () => assertRaised(checkCreate(outboundDeal({ value: -5 }), ctx), 'format.value_positive', 'value'));
  it("refuses a zero value for an invited partner", () => {
    const deal = p2pDeal();
    deal.invitations[0]!.value = 0;
    assertRaised(checkCreate(deal, ctx), 'format.value_positive', 'invitations[0].value');
  });
  it('allows 12563', () => assertClean(checkCreate(outboundDeal({ value: 12563 }), ctx)));
});

describe(ruleTitle('format.close_date'), () => {
  it('refuses 2026-02-30', () => assertRaised(checkCreate(outboundDeal({ closeDate: '2026-02-30' }), ctx), 'format.close_date', 'closeDate'));
  it('allows 2028-02-29 (a leap day)', () => assert.ok(isCalendarDate('2028-02-29')));
});

describe(ruleTitle('format.duns'), () => {
  it('refuses letters in a D-U-N-S number', () => assertRaised(checkCreate(withCustomer({ duns: '81A66849' }), ctx), 'format.duns', 'customer.duns'));
  it("allows the seed's sample 81466849", () => assertClean(checkCreate(withCustomer({ duns: '81466849' }), ctx)));
});

describe(ruleTitle('format.solution_amounts'), () => {
  it('refuses a negative price', () => {
    assertRaised(checkCreate(outboundDeal({ solutions: [{ id: 'SOL-1', kind: 'own', price: -1 }] }), ctx), 'format.solution_amounts', 'solutions[0].price');
  });
  it('refuses a fractional quantity', () => {
    assertRaised(checkCreate(outboundDeal({ solutions: [{ id: 'SOL-1', kind: 'own', quantity: 1.5 }] }), ctx), 'format.solution_amounts', 'solutions[0].quantity');
  });
  it("allows the seed's sample SOL-1234-PQRS, USD, 10, 100", () => assertClean(checkCreate(outboundDeal(), ctx)));
});

/** A deal's mandatory values cannot be emptied later (a CRM field a seller cleared must not be sent as null). */
const withoutKey = (key: 'value' | 'closeDate') => {
  const deal = outboundDeal() as unknown as Record<string, unknown>;
  delete deal[key];
  return deal as unknown as Referral;
};

describe(ruleTitle('update.close_date.required'), () => {
  it('refuses an emptied close date', () => assertRaised(checkChange(outboundDeal(), withoutKey('closeDate'), ctx), 'update.close_date.required', 'closeDate'));
  it('allows a changed close date', () => assertClean(checkChange(outboundDeal(), outboundDeal({ closeDate: '2026-12-31' }), ctx)));
});

describe(`${ruleTitle('format.value_positive')}: emptied later`, () => {
  it('refuses an emptied value, naming what Partner Center keeps', () => {
    const violations = checkChange(outboundDeal(), withoutKey('value'), ctx);
    assertRaised(violations, 'format.value_positive', 'value');
    assert.match(violations.find((v) => v.field === 'value')!.message, /12563/);
  });
});

/** The bulk CSV seed's mandatory "Team member 1" and "Solution 1" hold on updates too (found walking Dynamics 365). */
const LAST_ROWS: [code: 'update.team.required' | 'update.solution.required', field: 'team' | 'solutions', kept: (r: Referral) => string, other: Partial<Referral>][] = [
  ['update.team.required', 'team', (r) => r.team[0]!.email, { team: [member(1)] }],
  ['update.solution.required', 'solutions', (r) => r.solutions[0]!.id, { solutions: [solution(1)] }],
];
for (const [code, field, kept, other] of LAST_ROWS) {
  describe(ruleTitle(code), () => {
    it(`refuses removing the last of ${field}, naming what Partner Center keeps`, () => {
      const before = outboundDeal();
      const violations = checkChange(before, outboundDeal({ [field]: [] }), ctx);
      assertRaised(violations, code, field);
      assert.match(violations.find((v) => v.code === code)!.message, new RegExp(kept(before)));
    });
    it(`allows replacing the ${field}`, () => assertClean(checkChange(outboundDeal(), outboundDeal(other), ctx)));
    it(`does not charge a deal that never had ${field}`, () => {
      assert.ok(!checkChange(outboundDeal({ [field]: [] }), outboundDeal({ [field]: [] }), ctx).some((v) => v.code === code));
    });
  });
}

describe(ruleTitle('update.customer.required'), () => {
  it('refuses an emptied city, naming what Partner Center keeps', () => {
    const violations = checkChange(outboundDeal(), withCustomer({ city: undefined }), ctx);
    assertRaised(violations, 'update.customer.required', 'customer.city');
    assert.match(violations.find((v) => v.code === 'update.customer.required')!.message, new RegExp(outboundDeal().customer.city!));
  });
  it('allows an emptied address line 2 (optional)', () => assertClean(checkChange(outboundDeal(), withCustomer({ addressLine2: undefined }), ctx)));
});
