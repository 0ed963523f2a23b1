/**
 * The Dynamics 365 adapter against the Dataverse sandbox: setup, check, change tracking across pages,
 * deletions, getDeals and findAllByReferralIds.
 */
import assert from 'node:assert/strict';
import { AuthError } from '../../core/errors.js';
import { oldestCarriers } from '../../core/engine/crm-port.js';
import { DYNAMICS_VIEWS } from '../../mappings/views.dynamics.js';
import { contractInboundReferral } from '../contract/crm-adapter.contract.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 adapter: setup, check and change tracking', function () {
  this.timeout(30_000);
  let h: DynamicsHarness;
  beforeEach(async () => {
    h = await startDynamicsHarness({ pageSize: 20 });
  });
  afterEach(async () => h.close());

  it('creates its columns, tables and relationships once; a second setup creates nothing', async () => {
    const first = await h.adapter.setup();
    assert.ok(first.created.includes('opportunity.cosell_syncstate'), JSON.stringify(first.created));
    assert.ok(first.created.includes('table cosell_teammember'));
    assert.ok(first.created.includes('relationship cosell_opportunity_cosell_solution'));
    assert.ok(first.created.includes('account.cosell_dunsnumber'));
    const second = await h.adapter.setup();
    assert.deepEqual(second.created, []);
    assert.equal(second.alreadyPresent.length, first.created.length + first.alreadyPresent.length);
  });

  it('reports not ready before setup and ready after it', async () => {
    const before = await h.adapter.check();
    assert.equal(before.ready, false);
    assert.match(before.items.find((i) => i.name === 'columns and tables')!.detail, /cosell setup dynamics/);
    await h.adapter.setup();
    const after = await h.adapter.check();
    assert.ok(after.ready, JSON.stringify(after.items));
    assert.match(after.items.find((i) => i.name === 'consent field')!.detail, /opportunity\.cosell_consent: customer contacts are sent only while it is Yes; synced both ways/);
  });

  it('check fails a fieldOverrides column the environment does not have, naming the key (setup creates only its own columns)', async () => {
    // Every read selects the mapped columns, so such a column fails every sync with Dataverse's 400.
    await h.adapter.setup();
    const custom = h.makeAdapter({ fieldOverrides: { notesToMicrosoft: { column: 'new_msnotes' }, 'customer.duns': { column: 'accountnumber' } } });
    assert.equal((await custom.setup()).created.length, 0);
    const report = await custom.check();
    const item = report.items.find((i) => i.name === 'columns and tables')!;
    assert.equal(item.ok, false);
    assert.match(item.detail, /opportunity\.new_msnotes \(crm > dynamics > fieldOverrides > notesToMicrosoft\)/);
    assert.doesNotMatch(item.detail, /accountnumber/, 'a standard column that exists is fine');
    assert.equal(report.ready, false);
  });

  it('reports missing privileges by name', async () => {
    await h.adapter.setup();
    await h.control('privileges', { revoke: ['prvWriteOpportunity'] });
    const report = await h.adapter.check();
    assert.equal(report.ready, false);
    assert.match(report.items.find((i) => i.name === 'privileges')!.detail, /prvWriteOpportunity/);
  });

  it('reads every opportunity over several pages of a delta, then only later changes and deletions', async () => {
    await h.adapter.setup();
    const ids = seedOpportunities(h, 45, { teamPerDeal: 2, solutionsPerDeal: 1 });
    const pages = await collect(h.adapter.readChanges(undefined));
    // The plain read's three pages, then the change-tracking listing's last page with the delta link (its
    // other pages name only rows read already: nothing for the engine), connectors/dynamics/first-read.ts.
    assert.equal(pages.length, 4);
    const deals = pages.flatMap((p) => p.deals);
    assert.deepEqual(new Set(deals.map((d) => d.crmId)), new Set(ids));
    const sample = deals[0]!;
    assert.equal(sample.referral.team.length, 2);
    assert.equal(sample.referral.solutions[0]?.id, 'SOL-1234-PQRS');
    assert.ok(sample.referral.customer.name.length > 0);
    assert.equal(sample.referral.currency, 'USD');
    assert.match(sample.etag ?? '', /^W\/"\d+"$/);
    const last = pages[pages.length - 1]!.cursor;
    assert.equal(last.mode, 'delta');
    assert.match(String(last.link), /\$deltatoken=/);

    await h.control('seller/edit', { id: ids[3], changes: { name: 'Renamed by Sam' } });
    await h.control('seller/delete', { id: ids[7] });
    const delta = await collect(h.adapter.readChanges(last));
    assert.deepEqual(delta.flatMap((p) => p.deals.map((d) => d.referral.dealName)), ['Renamed by Sam']);
    assert.deepEqual(delta.flatMap((p) => p.deletedIds), [ids[7]]);
    // Calls grow with pages: one tracking GET and one expanded GET per page.
    assert.ok(h.dataverse.counters.get('GET opportunities') <= 2 * (pages.length + delta.length) + 2, JSON.stringify(h.dataverse.counters.snapshot()));
  });

  it('finds opportunities by referral ID and re-reads them with getDeals', async () => {
    await h.adapter.setup();
    const referral = contractInboundReferral('basics');
    const [created] = await h.adapter.write([{ kind: 'create', key: referral.referralId!, referral, status: { state: 'synced', message: '' } }]);
    assert.ok(created?.ok, JSON.stringify(created));
    const found = oldestCarriers(await h.adapter.findAllByReferralIds([referral.referralId!, 'a0000000-0000-4000-8000-000000000000']));
    assert.equal(found.get(referral.referralId!), created.crmId);
    assert.equal(found.size, 1);
    const [deal] = await h.adapter.getDeals([created.crmId]);
    assert.equal(deal?.referral.customer.postalCode, '98052');
    assert.equal(deal?.referral.customerContact?.email, referral.customerContact!.email);
    assert.equal(deal?.referral.direction, 'inbound');
    assert.equal(deal?.intent.optedIn, true);
  });

  it('turns a refused client secret into an AuthError that names the fix and not the secret', async () => {
    const adapter = h.makeAdapter({}, { resolveSecret: async () => 'sandbox-not-the-secret' });
    await assert.rejects(adapter.getDeals(['a0000000-0000-4000-8000-000000000000']), (error: Error) => {
      assert.ok(error instanceof AuthError, `${error.name}: ${error.message}`);
      assert.match(error.message, /Check tenantId and clientId; .*put it where crm > dynamics > clientSecret points/);
      assert.doesNotMatch(error.message, /not-the-secret/);
      return true;
    });
  });

  it('uses another publisher prefix for every column and table it creates', async () => {
    const adapter = h.makeAdapter({ publisherPrefix: 'acme_' });
    const report = await adapter.setup();
    const schema = report.created.filter((name) => !name.startsWith('view '));
    assert.ok(schema.length > 0 && schema.every((name) => name.includes('acme_')), JSON.stringify(report.created));
    // The views are named for people; their queries use the prefix's columns.
    const views = [...h.dataverse.store.table('savedquery')!.rows.values()];
    assert.equal(views.length, DYNAMICS_VIEWS.length);
    assert.ok(views.every((v) => String(v.fetchxml).includes('acme_') && !String(v.fetchxml).includes('cosell_')));
    const [id] = seedOpportunities(h, 1, { teamPerDeal: 0, solutionsPerDeal: 0 });
    const [result] = await adapter.write([{ kind: 'status', key: id!, crmId: id!, status: { state: 'pending', message: 'Waiting for Partner Center' } }]);
    assert.ok(result?.ok, JSON.stringify(result));
    assert.equal(h.dataverse.store.table('opportunity')!.rows.get(id!)!.acme_syncmessage, 'Waiting for Partner Center');
    assert.ok((await adapter.check()).ready);
  });
});
