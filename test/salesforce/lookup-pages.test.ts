/**
 * Contact and lead lookups read every page of their query: a lookup with more matches than Salesforce
 * puts in one batch (2,000 rows, as the sandbox does: sandbox/salesforce/README.md) follows
 * `nextRecordsUrl` with Query More (query-pages.ts) instead of deciding on the first batch alone.
 */
import assert from 'node:assert/strict';
import type { CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import { LEAD_F } from '../../mappings/leads.salesforce.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { contractInboundReferral } from '../contract/crm-adapter.contract.js';
import { startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

/** One more than a query batch holds when the client asks for no batch size. */
const PAST_ONE_BATCH = 2_001;

describe('Salesforce adapter: contact and lead lookups past one query batch', function () {
  this.timeout(60_000);
  let h: SalesforceHarness;
  beforeEach(async () => {
    h = await startSalesforceHarness();
  });
  afterEach(() => h?.close());

  /** Query and Query More calls on an object (the sandbox counts both under `query:<object>`). */
  const queryCalls = (object: string) => h.sandbox.counters.snapshot()[`query:${object}`] ?? 0;

  it('matches a new deal to the contact on its account, found among more same-email contacts than one batch holds', async () => {
    const store = h.sandbox.store;
    const referral = contractInboundReferral('paged contact');
    const email = referral.customerContact!.email;
    const customer = insertRaw(store, 'Account', { Name: referral.customer.name, BillingPostalCode: referral.customer.postalCode, BillingCountry: referral.customer.country });
    const elsewhere = insertRaw(store, 'Account', { Name: 'Namesakes Ltd' });
    // Read first: contacts with the same email on another account (a shared mailbox, an import gone wrong).
    for (let i = 1; i < PAST_ONE_BATCH; i += 1) insertRaw(store, 'Contact', { LastName: `Namesake ${i}`, Email: email, AccountId: elsewhere.Id });
    const onAccount = insertRaw(store, 'Contact', { LastName: 'The customer', Email: email, AccountId: customer.Id });
    const contactsBefore = store.count('Contact');
    h.sandbox.counters.reset();

    const write: CrmWrite = { kind: 'create', key: referral.referralId!, referral, status: { state: 'pending', message: '' } };
    const [result] = await h.adapter.write([write]);
    assert.ok(result?.ok, JSON.stringify(result));
    const role = store.all('OpportunityContactRole').find((r) => r.OpportunityId === (result as Extract<CrmWriteResult, { ok: true }>).crmId && r.IsPrimary === true);
    assert.equal(role?.ContactId, onAccount.Id, 'the contact on the deal’s account, read from the second batch');
    assert.equal(store.count('Contact'), contactsBefore, 'no contact was created');
    // The statement and one Query More, as Composite subrequests since in-list-queries.ts.
    assert.equal(h.sandbox.counters.snapshot()['composite.query:Contact'] ?? 0, 2, 'the query and one Query More');
    assert.equal(queryCalls('Contact'), 0, 'no plain query');
  });

  it('finds the lead of every referral asked for, past the first batch of matching leads', async () => {
    const store = h.sandbox.store;
    const copied = 'c0ffee00-0000-4000-8000-0000000c0b1e';
    const asked = 'c0ffee00-0000-4000-8000-0000000a5ced';
    // A referral ID a seller copied onto many leads fills the first batch; the lead asked for comes after.
    for (let i = 0; i < PAST_ONE_BATCH - 1; i += 1) insertRaw(store, 'Lead', { Company: `Copy ${i}`, LastName: 'Copy', Status: 'Open - Not Contacted', [LEAD_F.referralId]: copied });
    const lead = insertRaw(store, 'Lead', { Company: 'Asked Ltd', LastName: 'Asked', Status: 'Open - Not Contacted', [LEAD_F.referralId]: asked });
    h.sandbox.counters.reset();

    const found = await h.adapter.findLeads([copied, asked]);
    assert.equal(found.get(asked)?.leadId, lead.Id);
    assert.ok(found.has(copied));
    assert.equal(queryCalls('Lead'), 2, 'the query and one Query More');
  });
});
