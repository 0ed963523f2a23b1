/**
 * An update whose removals or account edit Salesforce refuses fails the update, naming the row, so that the
 * engine retries it and the record says why. Until 2026-12-06 the deletions' per-record answers and the
 * account save's were not read: the update said it succeeded, and the next run read the row still there (or
 * the account's old name) as the seller's change and sent it over Partner Center's.
 */
import assert from 'node:assert/strict';
import { SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import type { CrmWrite } from '../../core/engine/crm-port.js';
import type { Referral } from '../../core/model/index.js';
import { deleteRecords } from '../../connectors/salesforce/collections.js';
import type { SalesforceClient } from '../../connectors/salesforce/client.js';
import { contractInboundReferral } from '../contract/crm-adapter.contract.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

const LOCKED = { rate: 1, kinds: { UNABLE_TO_LOCK_ROW: 1 } } as const;

describe('Salesforce adapter: an update whose removals or account edit are refused', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  beforeEach(async () => {
    h = await startSalesforceHarness();
  });
  afterEach(() => h?.close());

  const seller = (name: string) => {
    const email = `${name}@partner.example`;
    insertRaw(h.sandbox.store, 'User', { Username: email, FirstName: name, LastName: 'Seller', Email: email, IsActive: true });
    return { firstName: name, lastName: 'Seller', email, phone: '' };
  };

  async function created(r: Referral): Promise<string> {
    const [made] = await h.adapter.write([{ kind: 'create', key: r.referralId!, referral: r, status: { state: 'synced', message: '' } }]);
    assert.ok(made?.ok, JSON.stringify(made));
    return made.crmId;
  }

  const base = (name: string): Referral => ({ ...contractInboundReferral(name), customerContact: undefined, consentToShareContacts: false });

  it('fails the update, naming the team member, when the member removed cannot be deleted; retried, it is removed', async () => {
    const first = { ...base('team-removal'), team: [seller('ana'), seller('ben')], solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft' as const, name: 'Microsoft 365' }] };
    const crmId = await created(first);
    const members = () => h.sandbox.store.all('OpportunityTeamMember').filter((row) => row.OpportunityId === crmId).length;
    assert.equal(members(), 2);
    const update: CrmWrite = { kind: 'update', key: crmId, crmId, referral: { ...first, team: [first.team[0]!] }, changedFields: ['team'] };
    h.sandbox.itemFaults.configure({ ...LOCKED, match: 'OpportunityTeamMember' });
    const [result] = await h.adapter.write([update]);
    h.sandbox.itemFaults.configure(undefined);
    assert.ok(result && !result.ok, JSON.stringify(result));
    assert.equal(result.code, 'transient');
    assert.match(result.message, new RegExp(`removed team member of opportunity ${crmId}.*UNABLE_TO_LOCK_ROW`));
    assert.equal(members(), 2);
    const [again] = await h.adapter.write([update]);
    assert.ok(again?.ok, JSON.stringify(again));
    assert.equal(members(), 1);
  });

  it('fails the update, naming the solution row, when the whole deletion call stays locked', async () => {
    const first = { ...base('solution-removal'), team: [], solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft' as const, name: 'Microsoft 365' }, { id: 'SOL-Azure', kind: 'microsoft' as const, name: 'Azure' }] };
    const crmId = await created(first);
    const rows = () => h.sandbox.store.all(SOLUTION_OBJECT).filter((row) => row[SOLUTION_PARENT_FIELD] === crmId).length;
    const update: CrmWrite = { kind: 'update', key: crmId, crmId, referral: { ...first, solutions: [first.solutions[0]!] }, changedFields: ['solutions'] };
    h.sandbox.faults.configure({ ...LOCKED, match: '^DELETE .*/composite/sobjects' });
    const [result] = await h.adapter.write([update]);
    h.sandbox.faults.configure(undefined);
    assert.ok(result && !result.ok, JSON.stringify(result));
    assert.match(result.message, /removed solution row .*UNABLE_TO_LOCK_ROW/);
    assert.equal(rows(), 2);
    const [again] = await h.adapter.write([update]);
    assert.ok(again?.ok, JSON.stringify(again));
    assert.equal(rows(), 1);
  });

  it("fails the update, naming the account and the customer field, when the customer's account is refused", async () => {
    const first = { ...base('account-refused'), team: [], solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft' as const, name: 'Microsoft 365' }] };
    const crmId = await created(first);
    const accountId = String(h.sandbox.store.get('Opportunity', crmId)!.AccountId);
    const before = h.sandbox.store.get('Account', accountId)!.Name;
    const update: CrmWrite = { kind: 'update', key: crmId, crmId, referral: { ...first, customer: { ...first.customer, name: 'Renamed in Partner Center Ltd' } }, changedFields: ['customer.name'] };
    h.sandbox.itemFaults.configure({ ...LOCKED, match: 'Account' });
    const [result] = await h.adapter.write([update]);
    h.sandbox.itemFaults.configure(undefined);
    assert.ok(result && !result.ok, JSON.stringify(result));
    assert.equal(result.code, 'transient');
    assert.match(result.message, new RegExp(`account ${accountId} of opportunity ${crmId}.*UNABLE_TO_LOCK_ROW`));
    assert.equal(h.sandbox.store.get('Account', accountId)!.Name, before);
    const [again] = await h.adapter.write([update]);
    assert.ok(again?.ok, JSON.stringify(again));
    assert.equal(h.sandbox.store.get('Account', accountId)!.Name, 'Renamed in Partner Center Ltd');
  });

  it("fails the update, naming the contact, when the edit of the deal's customer contact is refused", async () => {
    const first = { ...contractInboundReferral('contact-refused'), team: [], solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft' as const, name: 'Microsoft 365' }] };
    const crmId = await created(first);
    const contact = () => h.sandbox.store.all('Contact').find((c) => c.Email === first.customerContact!.email)!;
    const update: CrmWrite = { kind: 'update', key: crmId, crmId, referral: { ...first, customerContact: { ...first.customerContact!, phone: '+1 425 555 0199' } }, changedFields: ['customerContact.phone'] };
    h.sandbox.itemFaults.configure({ ...LOCKED, match: 'ITEM Contact$' });
    const [result] = await h.adapter.write([update]);
    h.sandbox.itemFaults.configure(undefined);
    assert.ok(result && !result.ok, JSON.stringify(result));
    assert.equal(result.code, 'transient');
    assert.match(result.message, new RegExp(`contact ${contact().Id} of opportunity ${crmId}.*UNABLE_TO_LOCK_ROW`));
    assert.equal(contact().Phone, first.customerContact!.phone);
    const [again] = await h.adapter.write([update]);
    assert.ok(again?.ok, JSON.stringify(again));
    assert.equal(contact().Phone, '+1 425 555 0199');
  });
});

describe('Salesforce deletions: a row already gone', () => {
  it('counts ENTITY_IS_DELETED and INVALID_CROSS_REFERENCE_KEY as deleted, and any other refusal as failed', async () => {
    const answers: Record<string, { success: boolean; errors: { statusCode: string; message: string }[]; id?: string }> = {
      a: { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' }] },
      b: { success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id' }] },
      c: { success: false, errors: [{ statusCode: 'DELETE_FAILED', message: 'Your attempt to delete c could not be completed' }] },
      d: { id: 'd', success: true, errors: [] },
    };
    const client = { deleteRecords: async (ids: readonly string[]) => ids.map((id) => answers[id]!) } as unknown as SalesforceClient;
    const outcomes = await deleteRecords(client, ['a', 'b', 'c', 'd']);
    assert.deepEqual([...outcomes].map(([id, o]) => [id, o.ok]), [['a', true], ['b', true], ['c', false], ['d', true]]);
  });
});
