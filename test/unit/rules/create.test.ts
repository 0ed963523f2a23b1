/** What a new deal must contain (seed "Deal details", "Add team members", "Add solution(s)"; CSV table). */
import assert from 'node:assert/strict';
import { checkBulkConsent, checkChange, checkCreate, type RuleContext } from '../../../core/rules/index.js';
import type { Referral } from '../../../core/model/index.js';
import { assertClean, assertRaised, codes, ruleTitle } from '../../helpers/rules.js';
import { at, coSellDeal, DAY_MS, outboundDeal } from '../../helpers/referrals.js';

const ctx: RuleContext = { actor: 'us', now: at(DAY_MS) };
const fresh = (overrides: Partial<Referral> = {}) => outboundDeal({ referralId: undefined, engagementId: undefined, ...overrides });

describe('checkCreate', () => {
  it('accepts the seed column table\'s sample values as a complete private deal', () => assertClean(checkCreate(fresh(), ctx)));
});

const required: [string, string, Partial<Referral>][] = [
  ['create.deal_name.required', 'dealName', { dealName: '  ' }],
  ['create.location.required', 'location', { location: undefined }],
  ['create.value.required', 'value', { value: undefined }],
  ['create.currency.required', 'currency', { currency: '' }],
  ['create.close_date.required', 'closeDate', { closeDate: undefined }],
  ['create.team.required', 'team', { team: [] }],
  ['create.solution.required', 'solutions', { solutions: [] }],
];
for (const [code, field, change] of required) {
  describe(ruleTitle(code), () => {
    it(`refuses a new deal without ${field}`, () => assertRaised(checkCreate(fresh(change), ctx), code, field));
    it(`allows a new deal with ${field}`, () => assertClean(checkCreate(fresh(), ctx)));
  });
}

describe(ruleTitle('create.customer.required'), () => {
  for (const key of ['name', 'addressLine1', 'city', 'country'] as const) {
    it(`refuses a new deal without the customer's ${key}`, () => {
      const deal = fresh();
      deal.customer = { ...deal.customer, [key]: '' };
      assertRaised(checkCreate(deal, ctx), 'create.customer.required', `customer.${key}`);
    });
  }
  it('allows a customer without the optional state, postal code and D-U-N-S', () => {
    const deal = fresh();
    deal.customer = { name: 'Contoso', addressLine1: 'One Way', city: 'Redmond', country: 'US' };
    assertClean(checkCreate(deal, ctx));
  });
});

describe(ruleTitle('team.member_incomplete'), () => {
  it('refuses a team member without a phone number, naming the member and the field', () => {
    const deal = fresh({ team: [{ firstName: 'Bob', lastName: 'Partner', phone: '', email: 'bob@contoso.com' }] });
    assertRaised(checkCreate(deal, ctx), 'team.member_incomplete', 'team[0].phone');
  });
  it('allows a team member with name, phone and email', () => assertClean(checkCreate(fresh(), ctx)));
});

describe(ruleTitle('consent.required'), () => {
  it('refuses a bulk CSV row whose consent is No', () => {
    assertRaised(checkBulkConsent(fresh({ consentToShareContacts: false })), 'consent.required', 'consentToShareContacts');
  });
  it('allows a bulk CSV row with consent', () => assertClean(checkBulkConsent(fresh({ consentToShareContacts: true }))));
  it('is not an API rule: a private deal without consent and without a customer contact is created', () => {
    assertClean(checkCreate(fresh({ consentToShareContacts: false, customerContact: undefined }), ctx));
  });
});

describe(ruleTitle('consent.contact_without_consent'), () => {
  const contact = { firstName: 'John', lastName: 'Customer', phone: '9999999999', email: 'john@customer.example' };
  it('refuses a deal that carries a customer contact without consent', () => {
    assertRaised(checkCreate(fresh({ consentToShareContacts: false, customerContact: contact }), ctx), 'consent.contact_without_consent', 'customerContact');
  });
  it('allows the contact once consent is given', () => assertClean(checkCreate(fresh({ consentToShareContacts: true, customerContact: contact }), ctx)));
});

describe(ruleTitle('consent.contact_required_for_help'), () => {
  it('refuses a co-sell deal without consent, naming the consent field and how to fix it', () => {
    const deal = coSellDeal({ referralId: undefined, consentToShareContacts: false, customerContact: undefined });
    const v = assertRaised(checkCreate(deal, ctx), 'consent.contact_required_for_help', 'consentToShareContacts');
    assert.match(v.message, /tick "Consent to share contacts"/);
    assert.ok(!codes(checkCreate(deal, ctx)).includes('customer_contact.required_for_help'), 'one reason, not one per missing part');
  });
  it('allows a co-sell deal with consent and a complete customer contact', () => assertClean(checkCreate(coSellDeal({ referralId: undefined, consentToShareContacts: true }), ctx)));
});

describe(ruleTitle('customer_contact.required_for_help'), () => {
  it('refuses asking Microsoft for help without a customer contact email', () => {
    const deal = coSellDeal({ referralId: undefined, customerContact: { firstName: 'John', lastName: 'Customer', phone: '9999999999', email: '' } });
    assertRaised(checkCreate(deal, ctx), 'customer_contact.required_for_help', 'customerContact.email');
  });
  it('allows a private deal without any customer contact', () => assertClean(checkCreate(fresh({ customerContact: undefined }), ctx)));
  it('allows a co-sell deal with a complete customer contact', () => assertClean(checkCreate(coSellDeal({ referralId: undefined }), ctx)));
});

describe(`${ruleTitle('format.value_positive')}, once created`, () => {
  const deal = outboundDeal();
  it('refuses a change that empties the estimated value, naming what Partner Center keeps', () => {
    const violations = checkChange(deal, { ...deal, value: undefined }, ctx);
    assertRaised(violations, 'format.value_positive', 'value');
    assert.match(violations.find((v) => v.code === 'format.value_positive')!.message, new RegExp(`keeps ${deal.value} ${deal.currency}`));
  });
  it('refuses a win without the value as well', () => assertRaised(checkChange(deal, { ...deal, value: undefined, status: 'Closed', substatus: 'Won', salesStage: 'Won' }, ctx), 'format.value_positive', 'value'));
  it('allows a changed value', () => assert.ok(!codes(checkChange(deal, { ...deal, value: 1234 }, ctx)).includes('format.value_positive')));
});
