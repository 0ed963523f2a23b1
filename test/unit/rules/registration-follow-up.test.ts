/** Deal registration follow-up after Won: the facts on the record and for the reminder (core/rules/registration-follow-up.ts). */
import assert from 'node:assert/strict';
import { registrationFollowUp, registrationReminderDue, REGISTRATION_WINDOW_DAYS } from '../../../core/rules/index.js';
import type { Referral } from '../../../core/model/index.js';
import { outboundDeal } from '../../helpers/referrals.js';
import { openMemoryStore } from '../../../core/store/index.js';
import { registrationRemindersDue } from '../../../core/engine/registration-reminders.js';

const DAY = 86_400_000;
const incentive = [{ id: 'SOL-AZIP-0001', kind: 'own' as const, incentiveEligible: true }];
const wonPartnerLed = (o: Partial<Referral> = {}): Referral =>
  outboundDeal({ dealType: 'partner-led', shareWithMicrosoftSellers: true, solutions: incentive, status: 'Closed', substatus: 'Won', salesStage: 'Won', closeDate: '2027-03-31', ...o });

describe('registrationFollowUp', () => {
  it('an eligible Won deal: the deadline is the close date + 60 days when no signature date is known, and says so', () => {
    const f = registrationFollowUp(wonPartnerLed());
    assert.equal(f.eligible, true);
    assert.equal(REGISTRATION_WINDOW_DAYS, 60);
    assert.equal(f.deadline, new Date(Date.parse('2027-03-31T00:00:00Z') + 60 * DAY).toISOString());
    assert.equal(f.deadlineAssumed, true);
    assert.match(f.note, /by 2027-05-30 \(60 days after contract signature, taken as the close date\)/);
    assert.match(f.note, /only if the customer contract names your company and the incentive-eligible solution/);
  });

  it("counts from the registration's contract signature date when Partner Center has one", () => {
    const f = registrationFollowUp(wonPartnerLed({ registration: { status: 'Registered', contractSignedAt: '2027-02-01T00:00:00.000Z' } }));
    assert.equal(f.deadline, '2027-04-02T00:00:00.000Z');
    assert.equal(f.deadlineAssumed, false);
    assert.match(f.note, /Deal registered; Microsoft is validating it/);
  });

  it('shows what Partner Center asks for, and a validated registration needs nothing more', () => {
    assert.match(registrationFollowUp(wonPartnerLed({ registration: { status: 'ActionRequired', message: 'Upload the contract' } })).note, /needs action in Partner Center: Upload the contract/);
    assert.match(registrationFollowUp(wonPartnerLed({ registration: { status: 'Validated' } })).note, /validated by Microsoft/);
  });

  it('not eligible: says why, with no deadline (private deals by the seed sentence)', () => {
    const privateDeal = registrationFollowUp(wonPartnerLed({ dealType: 'private', shareWithMicrosoftSellers: false }));
    assert.equal(privateDeal.eligible, false);
    assert.equal(privateDeal.deadline, undefined);
    assert.match(privateDeal.note, /not applicable for private deals/);
    assert.match(registrationFollowUp(wonPartnerLed({ solutions: [] })).note, /needs an incentive-eligible solution/);
    assert.match(registrationFollowUp(wonPartnerLed({ status: 'Active', substatus: 'Accepted', salesStage: 'Proposed' })).note, /must be won/);
  });
});

describe('registrationReminderDue (for the notification channel)', () => {
  const f = registrationFollowUp(wonPartnerLed());
  const deadline = Date.parse(f.deadline!);
  it('is due within 14 days of the deadline, not before and not after it', () => {
    assert.equal(registrationReminderDue(f, new Date(deadline - 15 * DAY)), false);
    assert.equal(registrationReminderDue(f, new Date(deadline - 14 * DAY)), true);
    assert.equal(registrationReminderDue(f, new Date(deadline - DAY)), true);
    assert.equal(registrationReminderDue(f, new Date(deadline + 1)), false);
    assert.equal(registrationReminderDue(f, new Date(deadline - 20 * DAY), 30), true, 'the lead time is the caller’s choice');
  });
  it('is never due for a registered or ineligible deal', () => {
    assert.equal(registrationReminderDue(registrationFollowUp(wonPartnerLed({ registration: { status: 'Registered' } })), new Date(deadline - DAY)), false);
    assert.equal(registrationReminderDue(registrationFollowUp(wonPartnerLed({ solutions: [] })), new Date(deadline - DAY)), false);
  });
});

describe('registrationRemindersDue (the store read the notifier calls)', () => {
  it('lists active, eligible, unregistered links whose deadline is near, from the status on the record', () => {
    const store = openMemoryStore();
    const base = wonPartnerLed({ dealName: 'Register me' });
    const status = (extra: object) => ({ state: 'synced' as const, message: '', registrationEligible: true, registrationDeadline: '2027-05-30T00:00:00.000Z', registrationNote: 'Eligible…', ...extra });
    store.putLink({ crmId: 'crm-1', referralId: 'ref-1', base, state: 'active', lastStatus: status({}), updatedAt: '2027-05-01T00:00:00.000Z' });
    store.putLink({ crmId: 'crm-2', referralId: 'ref-2', base, state: 'active', lastStatus: status({ registrationStatus: 'Registered' }), updatedAt: '2027-05-01T00:00:00.000Z' });
    store.putLink({ crmId: 'crm-3', referralId: 'ref-3', base, state: 'crm-deleted', lastStatus: status({}), updatedAt: '2027-05-01T00:00:00.000Z' });
    store.putLink({ crmId: 'crm-4', referralId: 'ref-4', base, state: 'active', lastStatus: status({ registrationEligible: false }), updatedAt: '2027-05-01T00:00:00.000Z' });
    const due = registrationRemindersDue(store, new Date('2027-05-20T00:00:00Z'));
    assert.deepEqual(due, [{ crmId: 'crm-1', referralId: 'ref-1', dealName: 'Register me', deadline: '2027-05-30T00:00:00.000Z', note: 'Eligible…' }]);
    assert.deepEqual(registrationRemindersDue(store, new Date('2027-04-01T00:00:00Z')), [], 'not yet within 14 days');
  });
});
