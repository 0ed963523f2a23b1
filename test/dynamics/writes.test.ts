/**
 * Writes through `$batch`: creates as atomic change sets with account and contact matching, updates
 * with If-Match (412 → conflict), won and lost through WinOpportunity / LoseOpportunity.
 */
import assert from 'node:assert/strict';
import type { CrmWrite } from '../../core/engine/crm-port.js';
import { contractInboundReferral } from '../contract/crm-adapter.contract.js';
import { seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

const pending = { state: 'pending' as const, message: '' };

describe('Dynamics 365 adapter: writes', function () {
  this.timeout(30_000);
  let h: DynamicsHarness;
  beforeEach(async () => {
    h = await startDynamicsHarness();
    await h.adapter.setup();
    h.dataverse.counters.reset();
  });
  afterEach(async () => h.close());

  const accounts = () => [...h.dataverse.store.table('account')!.rows.values()];
  const contacts = () => [...h.dataverse.store.table('contact')!.rows.values()];

  it('creates inbound referrals in one $batch, matching accounts by D-U-N-S, then name + postal code + country, and contacts by email', async () => {
    const a = { ...contractInboundReferral('writes'), customer: { name: 'Tailspin Toys', postalCode: '98052', country: 'US', duns: '123456789' } };
    const b = { ...contractInboundReferral('writes'), customer: { name: 'Tailspin Toys (EMEA)', postalCode: '10115', country: 'DE', duns: '123456789' } };
    const c = { ...contractInboundReferral('writes'), customer: { name: 'tailspin toys', postalCode: '98052', country: 'US' }, customerContact: a.customerContact! };
    const results = await h.adapter.write([a, b, c].map((r): CrmWrite => ({ kind: 'create', key: r.referralId!, referral: { ...r, team: [{ firstName: 'Sam', lastName: 'Seller', email: 'sam@contoso-partner.example', phone: '1' }] }, status: pending })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    assert.equal(accounts().filter((x) => /tailspin/i.test(String(x.name))).length, 1, 'one account for one D-U-N-S number and one name + postal code + country');
    assert.equal(contacts().filter((x) => x.emailaddress1 === a.customerContact!.email).length, 1, 'one contact per email');
    assert.equal(h.dataverse.counters.get('POST $batch'), 2, 'one $batch of matching queries, one of writes');
    assert.equal(h.dataverse.counters.get('GET accounts') + h.dataverse.counters.get('GET contacts'), 0, 'no matching query on its own');
    assert.ok(h.dataverse.counters.get('$batch GET accounts') >= 2 && h.dataverse.counters.get('$batch GET contacts') >= 1, 'D-U-N-S, name and email queries in the batch');
    assert.equal(h.dataverse.counters.get('$batch POST opportunities'), 3);
    assert.equal(h.dataverse.counters.get('$batch POST cosell_teammembers'), 3);
    const [deal] = await h.adapter.getDeals([results[1]!.ok ? results[1]!.crmId : '']);
    assert.equal(deal?.referral.customer.duns, '123456789');
    assert.equal(deal?.referral.team[0]?.email, 'sam@contoso-partner.example');
  });

  it("refuses a currency the environment does not have, naming it, instead of keeping the value in the record's own currency", async () => {
    // Partner Center's 6,000,000 JPY written as 6,000,000 in the record's USD read back as USD: the next
    // edit of the deal sent USD to Partner Center. (The sandbox has USD, EUR, GBP and JPY; CHF it lacks.)
    const [id] = seedOpportunities(h, 1);
    const [deal] = await h.adapter.getDeals([id!]);
    const before = h.dataverse.store.table('opportunity')!.rows.get(id!)!;
    const [update] = await h.adapter.write([{ kind: 'update', key: id!, crmId: id!, etag: deal!.etag!, referral: { ...deal!.referral, value: 6_000_000, currency: 'CHF' }, changedFields: ['value', 'currency'] }]);
    assert.ok(!update!.ok && update!.code === 'validation' && update!.field === 'currency', JSON.stringify(update));
    assert.match(update!.message, /CHF/);
    const after = h.dataverse.store.table('opportunity')!.rows.get(id!)!;
    assert.deepEqual([after.estimatedvalue, after._transactioncurrencyid_value], [before.estimatedvalue, before._transactioncurrencyid_value], 'nothing written');
    const inbound = { ...contractInboundReferral('writes'), currency: 'CHF', value: 6_000_000 };
    const opportunities = h.dataverse.store.table('opportunity')!.rows.size;
    const [create] = await h.adapter.write([{ kind: 'create', key: inbound.referralId!, referral: inbound, status: pending }]);
    assert.ok(!create!.ok && create!.code === 'validation' && create!.field === 'currency', JSON.stringify(create));
    assert.equal(h.dataverse.store.table('opportunity')!.rows.size, opportunities, 'no opportunity in another currency');
  });

  it('rolls back a whole create when one of its operations fails, and answers that write alone', async () => {
    const good = contractInboundReferral('writes');
    const bad = { ...contractInboundReferral('writes'), dealName: 'x'.repeat(301) };
    const before = accounts().length;
    const results = await h.adapter.write([
      { kind: 'create', key: bad.referralId!, referral: bad, status: pending },
      { kind: 'create', key: good.referralId!, referral: good, status: pending },
    ]);
    assert.equal(results[0]!.ok, false);
    assert.ok(!results[0]!.ok && results[0]!.code === 'validation' && /name/.test(results[0]!.message), JSON.stringify(results[0]));
    assert.ok(results[1]!.ok);
    assert.equal(accounts().length, before + 1, 'the failed change set created no account');
  });

  it("reads the current child rows of 600 deals whose teams change in one $batch, not one GET per 250 deals", async () => {
    const ids = seedOpportunities(h, 600, { teamPerDeal: 1 });
    const deals = await h.adapter.getDeals(ids);
    h.dataverse.counters.reset();
    const colleague = { firstName: 'Pat', lastName: 'Colleague', email: 'pat.colleague@partner.example', phone: '+1 425 555 0177' };
    const results = await h.adapter.write(deals.map((d): CrmWrite => ({ kind: 'update', key: d.crmId, crmId: d.crmId, etag: d.etag!, referral: { ...d.referral, team: [...d.referral.team, colleague] }, changedFields: ['team'] })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
    assert.equal(h.dataverse.counters.get('GET opportunities'), 0, 'no GET on its own');
    assert.equal(h.dataverse.counters.get('$batch GET opportunities'), 3, 'three IN-filtered GETs of 250 IDs, in one $batch');
    const [after] = await h.adapter.getDeals([ids[599]!]);
    assert.ok(after!.referral.team.some((m) => m.email === colleague.email));
  });

  it('answers a stale ETag with a conflict result, not an exception', async () => {
    const [id] = seedOpportunities(h, 1);
    const [deal] = await h.adapter.getDeals([id!]);
    await h.control('seller/edit', { id, changes: { description: 'Sam changed this meanwhile' } });
    const [result] = await h.adapter.write([{ kind: 'update', key: id!, crmId: id!, etag: deal!.etag!, referral: { ...deal!.referral, dealName: 'Engine rename' }, changedFields: ['dealName'] }]);
    assert.equal(result?.ok, false);
    assert.equal(!result?.ok && result?.code, 'conflict');
    assert.equal(h.dataverse.store.table('opportunity')!.rows.get(id!)!.name, 'Bulk deal 1');
  });

  it("a status write made on the read's ETag reports the new version, and a stale one is a conflict that writes nothing", async () => {
    const [plain, raced] = seedOpportunities(h, 2);
    const deals = new Map((await h.adapter.getDeals([plain!, raced!])).map((d) => [d.crmId, d] as const));
    await h.control('seller/edit', { id: raced, changes: { description: 'Sam changed this meanwhile' } });
    const status = { state: 'error' as const, message: 'Refused: a deal team member is required.' };
    const results = await h.adapter.write([plain!, raced!].map((id): CrmWrite => ({ kind: 'status', key: id, crmId: id, status, etag: deals.get(id)!.etag! })));
    const [after] = await h.adapter.getDeals([plain!]);
    assert.ok(results[0]!.ok && results[0]!.etag === after!.etag, JSON.stringify(results[0]));
    assert.match(JSON.stringify(after!.shownStatus), /team member is required/);
    assert.equal(!results[1]!.ok && results[1]!.code, 'conflict', JSON.stringify(results[1]));
    const [stale] = await h.adapter.getDeals([raced!]);
    assert.ok(!JSON.stringify(stale!.shownStatus ?? {}).includes('team member is required'), 'nothing written on the stale read');
  });

  it('closes a won deal with WinOpportunity and a lost one with LoseOpportunity and the reason', async () => {
    const [wonId, lostId] = seedOpportunities(h, 2);
    const deals = await h.adapter.getDeals([wonId!, lostId!]);
    const won = deals.find((d) => d.crmId === wonId)!;
    const lost = deals.find((d) => d.crmId === lostId)!;
    const results = await h.adapter.write([
      { kind: 'update', key: wonId!, crmId: wonId!, etag: won.etag!, referral: { ...won.referral, status: 'Closed', substatus: 'Won' }, changedFields: ['status', 'substatus'] },
      { kind: 'update', key: lostId!, crmId: lostId!, etag: lost.etag!, referral: { ...lost.referral, status: 'Closed', substatus: 'Lost', closeReason: 'chose-another-vendor', closeNotes: 'Went with a competitor' }, changedFields: ['status', 'substatus', 'closeReason', 'closeNotes'] },
    ]);
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    const rows = h.dataverse.store.table('opportunity')!.rows;
    assert.equal(rows.get(wonId!)!.statecode, 1);
    assert.equal(rows.get(lostId!)!.statecode, 2);
    assert.equal(rows.get(lostId!)!.statuscode, 5, 'Out-Sold for "customer chose another vendor"');
    assert.equal(rows.get(lostId!)!.cosell_closereason, 100_000_003);
    assert.equal(h.dataverse.counters.get('$batch POST WinOpportunity'), 1);
    assert.equal(h.dataverse.counters.get('$batch POST LoseOpportunity'), 1);
    const closes = [...h.dataverse.store.table('opportunityclose')!.rows.values()];
    assert.ok(closes.some((c) => c._opportunityid_value === lostId && /Customer chose another vendor: Went with a competitor/.test(String(c.description))));
    const [reread] = await h.adapter.getDeals([lostId!]);
    assert.equal(reread?.referral.substatus, 'Lost');
    assert.equal(reread?.referral.closeReason, 'chose-another-vendor');
  });

  it('writes every sync status field back, with a Partner Center link built from the referral ID', async () => {
    const [id] = seedOpportunities(h, 1);
    const [result] = await h.adapter.write([{
      kind: 'status', key: id!, crmId: id!,
      status: { state: 'held', message: 'Won is held for 72 hours after creation', referralId: 'b0000000-0000-4000-8000-000000000002', engagementId: 'e0000000-0000-4000-8000-000000000002', microsoftStatus: 'Accepted', dealType: 'co-sell', direction: 'outbound', registrationEligible: true, heldUntil: '2026-11-26T12:00:00Z', lastSyncedAt: '2026-11-23T12:00:00Z' },
    }]);
    assert.ok(result?.ok, JSON.stringify(result));
    // Sent without the read's ETag: the new version is read back, not taken as the engine's own (issue 13).
    assert.equal(result.etag, undefined);
    assert.equal(result.modifiedAt, undefined);
    const row = h.dataverse.store.table('opportunity')!.rows.get(id!)!;
    assert.equal(row.cosell_syncstate, 'held');
    assert.equal(row.cosell_referrallink, 'https://partner.microsoft.com/dashboard/v2/referrals/b0000000-0000-4000-8000-000000000002');
    assert.equal(row.cosell_helduntil, '2026-11-26T12:00:00Z');
    assert.equal(row.cosell_microsoftstatus, 'Accepted');
    assert.equal(row.cosell_registrationeligible, true);
    const [deal] = await h.adapter.getDeals([id!]);
    assert.equal(deal?.referral.referralId, 'b0000000-0000-4000-8000-000000000002');
    assert.equal(deal?.referral.microsoft?.status, 'Accepted');
    assert.ok(deal?.etag, 'the row is read back with its new version');
  });

  it('reads the seller actions from their columns into the referral and the seller intent', async () => {
    const [id] = seedOpportunities(h, 1);
    await h.control('seller/edit', {
      id,
      changes: { cosell_direction: 'inbound', cosell_referralstatus: 'New', cosell_referralsubstatus: 'Received', cosell_referralid: 'b0000000-0000-4000-8000-000000000001', cosell_response: 100_000_002, cosell_closereason: 100_000_005, cosell_helptype: 100_000_003, cosell_sharewithmicrosoft: true, cosell_invitepartnerid: 'fab71ca0-0000-4000-8000-0000000fab71' },
    });
    const [deal] = await h.adapter.getDeals([id!]);
    assert.deepEqual(deal?.intent, { optedIn: true, response: 'decline' });
    assert.equal(deal?.referral.closeReason, 'not-a-customer');
    assert.equal(deal?.referral.helpType, 'proof-of-concept');
    assert.equal(deal?.referral.shareWithMicrosoftSellers, true);
    assert.equal(deal?.referral.invitations[0]?.partner.id, 'fab71ca0-0000-4000-8000-0000000fab71');
    assert.equal(deal?.referral.substatus, 'Received');
  });
});

describe('Dynamics 365 adapter: an org that already keeps D-U-N-S numbers', function () {
  this.timeout(30_000);
  it('matches seeded accounts by the org\'s own D-U-N-S column through a field override, and setup leaves that column alone', async () => {
    const h = await startDynamicsHarness({ seed: 'default', adapter: { fieldOverrides: { 'customer.duns': { column: 'new_dunsnumber' } } } });
    try {
      const report = await h.adapter.setup();
      assert.ok(!report.created.some((c) => c.includes('dunsnumber')), JSON.stringify(report.created));
      const existing = [...h.dataverse.store.table('account')!.rows.values()].find((a) => a.new_dunsnumber === '804735132')!;
      const referral = { ...contractInboundReferral('duns'), customer: { name: 'Fourth Coffee Roasters (HQ)', postalCode: '00000', country: 'US', duns: '804735132' } };
      const [result] = await h.adapter.write([{ kind: 'create', key: referral.referralId!, referral, status: pending }]);
      assert.ok(result?.ok, JSON.stringify(result));
      const opp = h.dataverse.store.table('opportunity')!.rows.get(result.crmId)!;
      assert.equal(opp._parentaccountid_value, existing.accountid);
      assert.ok((await h.adapter.check()).ready);
    } finally {
      await h.close();
    }
  });
});
