/**
 * The Dynamics 365 seller console (what the end-to-end tests and the demo use to act as a seller)
 * against the adapter: a deal a seller creates reads back with its team, solutions, stage and intent.
 */
import assert from 'node:assert/strict';
import { dataverseConsole } from '../../sandbox/dataverse/console.js';
import { startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 seller console', function () {
  this.timeout(30_000);
  let h: DynamicsHarness;
  beforeEach(async () => {
    h = await startDynamicsHarness();
    await h.adapter.setup();
  });
  afterEach(async () => h.close());

  it('creates, edits, stages, opts in and closes deals that the adapter reads back', async () => {
    const seller = dataverseConsole(h.dataverse);
    const id = await seller.createDeal({
      name: 'Console deal', value: 50_000, currency: 'EUR', closeDate: '2027-02-28',
      customer: { name: 'Wingtip Toys', street: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE', duns: '987654321' },
      contact: { firstName: 'Kim', lastName: 'Customer', phone: '+49 30 1234', email: 'kim@wingtip.example' },
      team: [{ firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam@contoso-partner.example' }],
      solutions: [{ id: 'SOL-1234-PQRS', kind: 'own', price: 100, quantity: 2, currency: 'EUR' }],
      optIn: false, consent: true, stage: 'Developed',
    });
    await seller.optIn(id, { helpType: 'technical-architecture', share: true });
    await seller.edit(id, { notes: 'Budget approved' });
    const [deal] = await h.adapter.getDeals([id]);
    assert.equal(deal?.intent.optedIn, true);
    assert.equal(deal?.referral.salesStage, 'Developed');
    assert.equal(deal?.referral.currency, 'EUR');
    assert.equal(deal?.referral.helpType, 'technical-architecture');
    assert.equal(deal?.referral.customer.duns, '987654321');
    assert.deepEqual(deal?.referral.team.map((t) => t.email), ['sam@contoso-partner.example']);
    assert.deepEqual(deal?.referral.solutions.map((s) => [s.id, s.price, s.quantity]), [['SOL-1234-PQRS', 100, 2]]);
    assert.equal(deal?.referral.notes, 'Budget approved');

    await seller.addTeamMember(id, { firstName: 'Dana', lastName: 'Dev', phone: '1', email: 'dana@contoso-partner.example' });
    await seller.removeTeamMember(id, 'sam@contoso-partner.example');
    await seller.lose(id, 'budget-not-adequate');
    const view = await seller.read(id);
    assert.deepEqual(view.teamEmails, ['dana@contoso-partner.example']);
    assert.equal(view.isClosed, true);
    assert.equal(view.stage, 'Lost');
    const [lost] = await h.adapter.getDeals([id]);
    assert.equal(lost?.referral.substatus, 'Lost');
    assert.equal(lost?.referral.closeReason, 'budget-not-adequate');
    assert.deepEqual(await seller.allRecords(), [id]);
  });
});
