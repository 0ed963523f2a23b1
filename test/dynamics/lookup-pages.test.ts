/**
 * The Dynamics 365 adapter's look-ups read every page of their query (connectors/dynamics/pages.ts): with
 * more matching rows than Dataverse puts in one page they follow `@odata.nextLink` instead of deciding on
 * the first page alone. The sandbox's page limit (Dataverse's 5,000) is lowered to {@link PAGE} rows, so a
 * few rows stand for more than a page while the adapter sends the `Prefer` it sends in production.
 */
import assert from 'node:assert/strict';
import type { CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import { oldestCarriers } from '../../core/engine/crm-port.js';
import type { Referral } from '../../core/model/referral.js';
import { CURRENCY_IDS } from '../../sandbox/dataverse/seed.js';
import { contractInboundReferral } from '../contract/crm-adapter.contract.js';
import { startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

const PAGE = 2;
/** GUIDs that sort before (`first(n)`) or after (`last(n)`) every other: the order the sandbox pages in. */
const first = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const last = (n: number) => `ffffffff-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('Dynamics 365 adapter: look-ups past one page', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;
  beforeEach(async () => {
    h = await startDynamicsHarness();
    await h.adapter.setup();
    h.dataverse.runtime.setPageLimit(PAGE);
  });
  afterEach(async () => h?.close());

  const store = () => h.dataverse.store;
  const createdIds = (results: CrmWriteResult[]) =>
    results.map((r) => {
      assert.ok(r.ok, JSON.stringify(r));
      return r.crmId;
    });
  const create = (referral: Referral): CrmWrite => ({ kind: 'create', key: referral.referralId!, referral, status: { state: 'pending', message: '' } });

  it('findAllByReferralIds finds every referral, past a first page filled by a referral ID sellers copied', async () => {
    const copied = 'c0ffee00-0000-4000-8000-00000000c0b1';
    const asked = 'c0ffee00-0000-4000-8000-00000000a5cd';
    for (let i = 1; i <= PAGE + 1; i += 1) store().insert('opportunity', { name: `copy ${i}`, cosell_referralid: copied }, first(i));
    store().insert('opportunity', { name: 'asked', cosell_referralid: asked }, last(1));

    const found = oldestCarriers(await h.adapter.findAllByReferralIds([copied, asked]));
    assert.equal(found.get(asked), last(1), 'the row on the last page');
    assert.equal(found.get(copied), first(1), 'the earliest row of a copied ID still wins');
  });

  it('missingIds reports only the opportunities that are gone, whatever page the others are on', async () => {
    const ids = Array.from({ length: PAGE + 1 }, (_, i) => first(i + 1));
    for (const id of ids) store().insert('opportunity', { name: `deal ${id}` }, id);
    assert.deepEqual(await h.adapter.missingIds([...ids, last(9)]), [last(9)]);
  });

  it('findLeads and readLeads read every matching lead', async () => {
    const copied = 'c0ffee00-0000-4000-8000-0000000c0b1e';
    const asked = 'c0ffee00-0000-4000-8000-0000000a5ced';
    for (let i = 1; i <= PAGE + 1; i += 1) store().insert('lead', { subject: `copy ${i}`, lastname: 'Copy', cosell_referralid: copied }, first(i));
    store().insert('lead', { subject: 'asked', lastname: 'Asked', cosell_referralid: asked }, last(1));

    const found = await h.adapter.findLeads([copied, asked]);
    assert.equal(found.get(asked)?.leadId, last(1));
    assert.equal(found.get(copied)?.leadId, first(1));
    const read = await h.adapter.readLeads([first(1), first(2), first(3), last(1)]);
    assert.deepEqual([...read.keys()].sort(), [first(1), first(2), first(3), last(1)]);
  });

  it('a new deal takes the existing account and contact found past the first page of matches', async () => {
    const busy = contractInboundReferral('paged busy');
    const quiet = contractInboundReferral('paged quiet');
    // More rows for the first referral's customer and email than a page: the second's come after them.
    for (let i = 1; i <= PAGE + 1; i += 1) {
      store().insert('account', { name: busy.customer.name, address1_postalcode: busy.customer.postalCode, address1_country: busy.customer.country }, first(i));
      store().insert('contact', { lastname: `Namesake ${i}`, emailaddress1: busy.customerContact!.email }, first(i));
    }
    store().insert('account', { name: quiet.customer.name, address1_postalcode: quiet.customer.postalCode, address1_country: quiet.customer.country }, last(1));
    store().insert('contact', { lastname: 'The customer', emailaddress1: quiet.customerContact!.email }, last(1));
    const [accounts, contacts] = [store().table('account')!.rows.size, store().table('contact')!.rows.size];

    const [, quietId] = createdIds(await h.adapter.write([create(busy), create(quiet)]));
    const deal = store().table('opportunity')!.rows.get(quietId!)!;
    assert.equal(deal._parentaccountid_value, last(1), 'the account on the second page');
    assert.equal(deal._parentcontactid_value, last(1), 'the contact on the second page');
    assert.equal(store().table('account')!.rows.size, accounts, 'no account was created');
    assert.equal(store().table('contact')!.rows.size, contacts, 'no contact was created');
  });

  it('an update reaches the account of every opportunity, not only those on the first page read before it', async () => {
    h.dataverse.runtime.setPageLimit(5000);
    const referrals = Array.from({ length: PAGE + 1 }, (_, i) => contractInboundReferral(`paged update ${i}`));
    const ids = createdIds(await h.adapter.write(referrals.map(create)));
    h.dataverse.runtime.setPageLimit(PAGE);

    const deals = await h.adapter.getDeals(ids);
    assert.equal(deals.length, ids.length);
    const results = await h.adapter.write(deals.map((d): CrmWrite => ({
      kind: 'update', key: d.crmId, crmId: d.crmId, etag: d.etag!, referral: { ...d.referral, customer: { ...d.referral.customer, name: `${d.referral.customer.name} Renamed` } }, changedFields: ['customer.name'],
    })));
    createdIds(results);
    const names = (await h.adapter.getDeals(ids)).map((d) => d.referral.customer.name);
    assert.deepEqual(names, referrals.map((r) => `${r.customer.name} Renamed`));
  });

  it('lists every sales stage', async () => {
    const paged = await h.adapter.listStages();
    h.dataverse.runtime.setPageLimit(5000);
    assert.deepEqual(paged, await h.adapter.listStages(), 'the same stages as read in one page');
    assert.ok(paged.length > PAGE + 2, 'more open stages than a page');
  });

  it('writes a currency listed past the first page', async () => {
    // The seeded currencies by key are GBP, USD and EUR: EUR comes after the first page.
    const referral = { ...contractInboundReferral('paged currency'), currency: 'EUR' };
    const [id] = createdIds(await h.adapter.write([create(referral)]));
    assert.equal(store().table('opportunity')!.rows.get(id!)!._transactioncurrencyid_value, CURRENCY_IDS.EUR);
  });
});
