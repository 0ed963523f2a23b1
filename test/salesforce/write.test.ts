/** Writing: batching through sObject Collections, account and contact matching, per-record results, lock retries. */
import assert from 'node:assert/strict';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { COLLECTION_LIMIT } from '../../connectors/salesforce/collections.js';
import type { CrmWrite } from '../../core/engine/crm-port.js';
import { emptyReferral, type Referral } from '../../core/model/index.js';
import { contractInboundReferral } from '../contract/crm-adapter.contract.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce adapter: writing', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  beforeEach(async () => {
    h = await startSalesforceHarness();
  });
  afterEach(() => h?.close());

  /**
   * Updates go to linked records, which carry their referral's ID: on a record without one the connector's
   * write-backs are a clone's copies and are not read (assemble.ts, `ownFields`).
   */
  const linkToReferral = (id: string) => {
    assert.ok(h.sandbox.seller.editOpportunity(id, { [F.referralId]: `a3b1c2d4-0000-4000-8000-${id.slice(-12).padStart(12, '0')}` }).ok);
  };
  const create = (referral: Referral): CrmWrite => ({ kind: 'create', key: referral.referralId!, referral, status: { state: 'pending', message: '' } });

  it('batches 450 status write-backs into collection PATCHes of 200, three between the two reads of one Composite call', async () => {
    const ids = seedOptedIn(h.sandbox, 450);
    h.sandbox.counters.reset();
    const results = await h.adapter.write(ids.map((id) => ({ kind: 'status', key: id, crmId: id, status: { state: 'held', message: 'Won is held for 72 hours', heldUntil: '2026-11-26T12:00:00.000Z' } })));
    assert.ok(results.every((r) => r.ok));
    // A Composite call holds five "sObject Collections or query operations": the version check (a query), up to
    // three collection PATCHes of 200 and the versions they made (write.ts, checked-patches.ts).
    assert.deepEqual(h.sandbox.counters.snapshot(), { composite: 1, 'composite.query:Opportunity': 2, 'composite.composite/sobjects:PATCH': Math.ceil(450 / COLLECTION_LIMIT) });
    const rec = h.sandbox.store.get('Opportunity', ids[0]!)!;
    assert.equal(rec[F.syncState], 'held');
    assert.equal(rec[F.heldUntil], '2026-11-26T12:00:00.000Z');
  });

  it('matches existing accounts by D-U-N-S, then by name + postal code + country, and creates each new customer once', async () => {
    seedOptedIn(h.sandbox, 20);
    const [byDuns, byName] = h.sandbox.store.all('Account') as unknown as [Record<string, unknown>, Record<string, unknown>];
    const accountsBefore = h.sandbox.store.all('Account').length;
    const a = contractInboundReferral('duns');
    a.customer = { name: 'A different spelling Ltd', duns: String(byDuns.DunsNumber), country: 'US' };
    const b = contractInboundReferral('name');
    b.customer = { name: String(byName.Name).toUpperCase(), postalCode: String(byName.BillingPostalCode), country: String(byName.BillingCountry) };
    const c = contractInboundReferral('new');
    const d = { ...contractInboundReferral('new-again'), customer: { ...c.customer } };
    h.sandbox.counters.reset();
    const results = await h.adapter.write([a, b, c, d].map(create));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    const accountOf = (key: string) => h.sandbox.store.get('Opportunity', (results.find((r) => r.key === key) as { crmId: string }).crmId)!.AccountId;
    assert.equal(accountOf(a.referralId!), byDuns.Id);
    assert.equal(accountOf(b.referralId!), byName.Id);
    assert.equal(accountOf(c.referralId!), accountOf(d.referralId!));
    assert.equal(h.sandbox.store.all('Account').length, accountsBefore + 1);
    // Lookups and saves are batched: never one call per referral.
    const counts = h.sandbox.counters.snapshot();
    assert.equal(counts['composite/sobjects:UPSERT'], 1);
    assert.ok((counts['composite/sobjects:POST'] ?? 0) <= 4, JSON.stringify(counts));
  });

  it('matches the customer contact by email instead of creating a duplicate', async () => {
    seedOptedIn(h.sandbox, 5);
    const existing = h.sandbox.store.all('Contact')[0]!;
    const account = h.sandbox.store.get('Account', String(existing.AccountId))!;
    const r = contractInboundReferral('contact');
    r.customer = { name: String(account.Name), postalCode: String(account.BillingPostalCode), country: String(account.BillingCountry) };
    r.customerContact = { firstName: 'X', lastName: 'Y', phone: '', email: String(existing.Email).toUpperCase() };
    const contactsBefore = h.sandbox.store.all('Contact').length;
    const [result] = await h.adapter.write([create(r)]);
    assert.ok(result?.ok);
    assert.equal(h.sandbox.store.all('Contact').length, contactsBefore);
    const [deal] = await h.adapter.getDeals([result.crmId]);
    assert.equal(deal?.referral.customerContact?.email, existing.Email);
    assert.equal(deal?.referral.direction, 'inbound');
    assert.equal(deal?.referral.substatus, 'Received');
    assert.equal(deal?.referral.salesStage, 'Accepted');
    const rec = h.sandbox.store.get('Opportunity', result.crmId)!;
    assert.equal(rec.StageName, 'Prospecting');
    assert.match(String(rec[F.referralLink]), /referrals\/c0ffee00-/);
  });

  it('gives a validation result that names the record, field and rule, and does not throw', async () => {
    const [id] = seedOptedIn(h.sandbox, 1) as [string];
    const [deal] = await h.adapter.getDeals([id]);
    const results = await h.adapter.write([
      { kind: 'update', key: 'neg', crmId: id, referral: { ...deal!.referral, value: -10 }, changedFields: ['value'] },
      { kind: 'create', key: 'no-date', referral: emptyReferral({ referralId: 'd0000000-0000-4000-8000-000000000001', dealName: 'No date', customer: { name: 'X' } }), status: { state: 'pending', message: '' } },
    ]);
    const [neg, noDate] = results;
    assert.ok(neg && !neg.ok && noDate && !noDate.ok);
    assert.equal(neg.code, 'validation');
    assert.equal(neg.field, 'value');
    assert.match(neg.message, new RegExp(`${id}.*Amount.*cannot be negative.*FIELD_CUSTOM_VALIDATION_EXCEPTION`));
    assert.equal(noDate.field, 'closeDate');
  });

  it('retries records that hit UNABLE_TO_LOCK_ROW, and reports those that stay locked as transient', async () => {
    const ids = seedOptedIn(h.sandbox, 10);
    h.sandbox.itemFaults.configure({ rate: 0.5, kinds: { UNABLE_TO_LOCK_ROW: 1 }, seed: 5, limit: 3 });
    h.sandbox.counters.reset();
    const results = await h.adapter.write(ids.map((id) => ({ kind: 'status', key: id, crmId: id, status: { state: 'synced', message: '' } })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    assert.equal(h.sandbox.counters.get('composite.composite/sobjects:PATCH'), 2);

    h.sandbox.itemFaults.configure({ rate: 1, kinds: { UNABLE_TO_LOCK_ROW: 1 } });
    const [stuck] = await h.adapter.write([{ kind: 'status', key: ids[0]!, crmId: ids[0]!, status: { state: 'synced', message: '' } }]);
    assert.ok(stuck && !stuck.ok);
    assert.equal(stuck.code, 'transient');
    assert.match(stuck.message, /UNABLE_TO_LOCK_ROW/);
  });

  it('retries the locked records of three PATCHes sent in one call, each chunk with its own answers', async () => {
    const ids = seedOptedIn(h.sandbox, 450);
    h.sandbox.itemFaults.configure({ rate: 0.02, kinds: { UNABLE_TO_LOCK_ROW: 1 }, seed: 7, limit: 6 });
    h.sandbox.counters.reset();
    const results = await h.adapter.write(ids.map((id) => ({ kind: 'status', key: id, crmId: id, status: { state: 'synced', message: 'retried' } })));
    h.sandbox.itemFaults.configure({ rate: 0, kinds: {} });
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.filter((r) => !r.ok)));
    assert.deepEqual(results.map((r) => r.key), ids);
    assert.ok(ids.every((id) => h.sandbox.store.get('Opportunity', id)![F.syncMessage] === 'retried'));
    // The first call's three PATCHes, then one call for the locked records (fewer than 200: one PATCH).
    assert.equal(h.sandbox.counters.get('composite.composite/sobjects:PATCH'), Math.ceil(450 / COLLECTION_LIMIT) + 1);
    assert.equal(h.sandbox.counters.get('composite'), 2);
  });

  it('writes only the fields behind changedFields; customer fields go to the account', async () => {
    const [id] = seedOptedIn(h.sandbox, 1) as [string];
    const [deal] = await h.adapter.getDeals([id]);
    const merged = { ...deal!.referral, notes: 'From Partner Center', closeDate: '2030-01-01', helpType: 'quotes-licensing' as const, customer: { ...deal!.referral.customer, name: 'Renamed Customer Ltd' } };
    const [r] = await h.adapter.write([{ kind: 'update', key: id, crmId: id, referral: merged, changedFields: ['notes', 'helpType', 'customer.name'] }]);
    assert.ok(r?.ok, JSON.stringify(r));
    const rec = h.sandbox.store.get('Opportunity', id)!;
    assert.equal(rec.Description, 'From Partner Center');
    assert.equal(rec[F.helpType], 'Quotes and licensing');
    assert.notEqual(rec.CloseDate, '2030-01-01');
    assert.equal(h.sandbox.store.get('Account', String(rec.AccountId))!.Name, 'Renamed Customer Ltd');
    const [after] = await h.adapter.getDeals([id]);
    assert.equal(after?.referral.customer.name, 'Renamed Customer Ltd');
    assert.equal(after?.referral.helpType, 'quotes-licensing');
  });

  it('writes solutions, team and customer contact changes to their own records', async () => {
    const [id] = seedOptedIn(h.sandbox, 1) as [string];
    linkToReferral(id);
    const [deal] = await h.adapter.getDeals([id]);
    const seller = h.sandbox.store.all('User').find((u) => !deal!.referral.team.some((t) => t.email === u.Email) && String(u.Email).endsWith('@partner.example'))!;
    const merged = {
      ...deal!.referral,
      solutions: [{ id: 'SOL-NEW-0001', kind: 'microsoft' as const, price: 10, quantity: 3, currency: 'USD' }],
      team: [...deal!.referral.team.slice(1), { firstName: String(seller.FirstName), lastName: String(seller.LastName), phone: '', email: String(seller.Email) }],
      customerContact: { firstName: 'Nia', lastName: 'New', phone: '+1 206 555 0000', email: 'nia.new@customer.example' },
    };
    const [r] = await h.adapter.write([{ kind: 'update', key: id, crmId: id, referral: merged, changedFields: ['solutions', 'team', 'customerContact'] }]);
    assert.ok(r?.ok, JSON.stringify(r));
    const [after] = await h.adapter.getDeals([id]);
    assert.deepEqual(after?.referral.solutions.map((s) => [s.id, s.kind, s.quantity]), [['SOL-NEW-0001', 'microsoft', 3]]);
    assert.deepEqual(after?.referral.team.map((t) => t.email).sort(), merged.team.map((t) => t.email).sort());
    assert.equal(after?.referral.customerContact?.email, 'nia.new@customer.example');

    // A member who is not a Salesforce user cannot join the opportunity team: kept beside it, never lost.
    const outsider = { firstName: 'Out', lastName: 'Sider', phone: '+1 555 0100', email: 'outsider@elsewhere.example' };
    const stranger = { ...merged, team: [...merged.team, outsider] };
    const [kept] = await h.adapter.write([{ kind: 'update', key: id, crmId: id, referral: stranger, changedFields: ['team'] }]);
    assert.ok(kept?.ok, JSON.stringify(kept));
    const [withOutsider] = await h.adapter.getDeals([id]);
    assert.deepEqual(withOutsider?.referral.team.find((t) => t.email === outsider.email), outsider);
    assert.equal(h.sandbox.store.all('OpportunityTeamMember').filter((m) => m.OpportunityId === id).length, merged.team.length, 'only users are on the opportunity team');
    const [removed] = await h.adapter.write([{ kind: 'update', key: id, crmId: id, referral: merged, changedFields: ['team'] }]);
    assert.ok(removed?.ok);
    assert.deepEqual((await h.adapter.getDeals([id]))[0]?.referral.team.map((t) => t.email).sort(), merged.team.map((t) => t.email).sort());
  });

  it('moves the stage for a Partner Center stage change, but keeps an equivalent stage the seller chose', async () => {
    const [id] = seedOptedIn(h.sandbox, 1) as [string];
    h.sandbox.seller.editOpportunity(id, { StageName: 'Needs Analysis' });
    const [deal] = await h.adapter.getDeals([id]);
    assert.equal(deal?.referral.salesStage, 'Qualified');
    const stageOf = () => h.sandbox.store.get('Opportunity', id)!.StageName;
    await h.adapter.write([{ kind: 'update', key: id, crmId: id, referral: { ...deal!.referral, salesStage: 'Qualified' }, changedFields: ['salesStage'] }]);
    assert.equal(stageOf(), 'Needs Analysis');
    await h.adapter.write([{ kind: 'update', key: id, crmId: id, referral: { ...deal!.referral, salesStage: 'Proposed' }, changedFields: ['salesStage'] }]);
    assert.equal(stageOf(), 'Perception Analysis');
    await h.adapter.write([{ kind: 'update', key: id, crmId: id, referral: { ...deal!.referral, status: 'Closed', substatus: 'Lost', closeReason: 'timeline-too-short' }, changedFields: ['status', 'substatus', 'closeReason'] }]);
    const rec = h.sandbox.store.get('Opportunity', id)!;
    assert.deepEqual([rec.StageName, rec.IsClosed, rec.IsWon, rec[F.closeReason]], ['Closed Lost', true, false, 'Proposed time line was too short']);
  });

  it('round-trips every unit the engine syncs, so that nothing reads back as a change', async () => {
    const [id] = seedOptedIn(h.sandbox, 1) as [string];
    linkToReferral(id);
    const [deal] = await h.adapter.getDeals([id]);
    const merged: Referral = {
      ...deal!.referral,
      favorite: true,
      marketingCampaignId: 'CAMP-42',
      microsoft: { status: 'Accepted', requestedAt: '2026-11-01T10:00:00.000Z', crmId: 'MS-CRM-7' },
      invitations: [{ partner: { id: 'partner-9', name: 'Northwind Partners' }, value: 5000, currency: 'USD', closeDate: '2027-01-31', team: [], solutions: [], status: 'Received' }],
      customer: { ...deal!.referral.customer, addressLine1: '1 Main Street', addressLine2: 'Building 7' },
    };
    const changedFields = ['favorite', 'marketingCampaignId', 'microsoft', 'invitations', 'customer.addressLine1', 'customer.addressLine2'];
    const [r] = await h.adapter.write([{ kind: 'update', key: id, crmId: id, referral: merged, changedFields }]);
    assert.ok(r?.ok, JSON.stringify(r));
    const [after] = await h.adapter.getDeals([id]);
    for (const path of ['favorite', 'marketingCampaignId', 'microsoft', 'invitations'] as const) assert.deepEqual(after?.referral[path], merged[path], path);
    assert.equal(after?.referral.customer.addressLine1, '1 Main Street');
    assert.equal(after?.referral.customer.addressLine2, 'Building 7');
  });

  it('a customer contact removed by the merge deletes the primary contact role the engine read, never the Contact, nor a primary contact set since', async () => {
    const [written] = await h.adapter.write([create(contractInboundReferral('contact removed'))]);
    assert.ok(written?.ok, JSON.stringify(written));
    const crmId = written.crmId;
    const [deal] = await h.adapter.getDeals([crmId]);
    const read = deal!.referral;
    const { customerContact: _removed, ...merged } = read;
    const removal = (asRead: Extract<CrmWrite, { kind: 'update' }>['asRead']): CrmWrite => ({ kind: 'update', key: crmId, crmId, referral: merged, changedFields: ['customerContact'], ...(asRead ? { asRead } : {}) });
    const roles = () => h.sandbox.store.all('OpportunityContactRole').filter((r) => r.OpportunityId === crmId);
    const contacts = h.sandbox.store.all('Contact').length;

    // A seller made someone else the primary contact after the engine's read: that role is theirs.
    const other = { firstName: 'Other', lastName: 'Person', email: 'other@customer.example', phone: '' };
    const [kept] = await h.adapter.write([removal({ team: read.team, solutions: read.solutions, customerContact: other })]);
    assert.ok(kept?.ok, JSON.stringify(kept));
    assert.equal(roles().length, 1, 'a primary contact the engine did not read stays');

    const [removed] = await h.adapter.write([removal({ team: read.team, solutions: read.solutions, ...(read.customerContact ? { customerContact: read.customerContact } : {}) })]);
    assert.ok(removed?.ok, JSON.stringify(removed));
    assert.equal(roles().length, 0, 'the primary contact role the engine read is deleted');
    assert.equal(h.sandbox.store.all('Contact').length, contacts, 'the Contact itself stays');
  });
});
