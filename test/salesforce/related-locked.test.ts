/**
 * An update's solution rows (or team members) that Salesforce refuses fail the update, as a create's do
 * (create.ts): dropped without a word, the update said it succeeded and the next run read the record without
 * them as the seller's removal, sent to Partner Center.
 */
import assert from 'node:assert/strict';
import { SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import type { CrmWrite } from '../../core/engine/crm-port.js';
import type { Referral } from '../../core/model/index.js';
import { contractInboundReferral } from '../contract/crm-adapter.contract.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce adapter: an update whose related rows stay locked', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  beforeEach(async () => {
    h = await startSalesforceHarness();
  });
  afterEach(() => h?.close());

  const referral = (): Referral => {
    const r = contractInboundReferral('locked-update');
    return { ...r, customerContact: undefined, consentToShareContacts: false, team: [], solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft', name: 'Microsoft 365' }] };
  };

  it('reports the update failed, naming the solution, when its new solution row is never saved', async () => {
    const first = referral();
    const [made] = await h.adapter.write([{ kind: 'create', key: first.referralId!, referral: first, status: { state: 'synced', message: '' } }]);
    assert.ok(made?.ok, JSON.stringify(made));
    const merged = { ...first, solutions: [...first.solutions, { id: 'SOL-Azure', kind: 'microsoft' as const, name: 'Azure' }] };
    const update: CrmWrite = { kind: 'update', key: made.crmId, crmId: made.crmId, referral: merged, changedFields: ['solutions'] };
    h.sandbox.faults.configure({ rate: 1, kinds: { UNABLE_TO_LOCK_ROW: 1 }, match: '^POST .*/composite/sobjects$', limit: 2 });
    const [result] = await h.adapter.write([update]);
    h.sandbox.faults.configure(undefined);
    assert.ok(result && !result.ok, JSON.stringify(result));
    assert.equal(result.code, 'transient');
    assert.match(result.message, /solution .*UNABLE_TO_LOCK_ROW/);
    // Written again once the lock is gone, the row is saved: nothing was lost.
    const [again] = await h.adapter.write([update]);
    assert.ok(again?.ok, JSON.stringify(again));
    assert.equal(h.sandbox.store.all(SOLUTION_OBJECT).filter((row) => row[SOLUTION_PARENT_FIELD] === made.crmId).length, 2);
  });

  it('reports the update failed, naming the team, when a new team member is never saved', async () => {
    const first = referral();
    const [made] = await h.adapter.write([{ kind: 'create', key: first.referralId!, referral: first, status: { state: 'synced', message: '' } }]);
    assert.ok(made?.ok, JSON.stringify(made));
    const seller = { firstName: 'Robin', lastName: 'Presales', email: 'robin.presales@partner.example', phone: '' };
    insertRaw(h.sandbox.store, 'User', { Username: seller.email, FirstName: seller.firstName, LastName: seller.lastName, Email: seller.email, IsActive: true });
    const update: CrmWrite = { kind: 'update', key: made.crmId, crmId: made.crmId, referral: { ...first, team: [seller] }, changedFields: ['team'] };
    h.sandbox.faults.configure({ rate: 1, kinds: { UNABLE_TO_LOCK_ROW: 1 }, match: '^POST .*/composite/sobjects$', limit: 2 });
    const [result] = await h.adapter.write([update]);
    h.sandbox.faults.configure(undefined);
    assert.ok(result && !result.ok, JSON.stringify(result));
    assert.equal(result.code, 'transient');
    assert.match(result.message, /team member .*UNABLE_TO_LOCK_ROW/);
    const [again] = await h.adapter.write([update]);
    assert.ok(again?.ok, JSON.stringify(again));
    assert.equal(h.sandbox.store.all('OpportunityTeamMember').filter((row) => row.OpportunityId === made.crmId).length, 1);
  });
});
