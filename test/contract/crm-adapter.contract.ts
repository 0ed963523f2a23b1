/**
 * The shared contract every {@link CrmAdapter} must pass, whatever CRM is behind it. It speaks only the
 * canonical model and the adapter interface: no CRM field names, no CRM-specific assumptions. The CRM
 * side (seeding records, editing one as a seller would, reading the written-back status) comes from a
 * harness that each adapter's test file provides.
 *
 * Usage, in `test/contract/<crm>.contract.test.ts`:
 *
 *   runCrmAdapterContract('Salesforce', async () => {
 *     const sandbox = await startSandbox();
 *     return { adapter, pageSize, seedDeals, sellerEdit, readStatus, missingCrmId, teardown: () => sandbox.close() };
 *   });
 *
 * Each test gets a fresh harness (fresh CRM), so tests never depend on one another.
 */
import assert from 'node:assert/strict';
import type { CrmAdapter, CrmChangePage, CrmCursor, CrmDeal, CrmWrite, SyncStatus } from '../../core/engine/crm-port.js';
import { oldestCarriers } from '../../core/engine/crm-port.js';
import { emptyReferral, type Referral } from '../../core/model/index.js';

/** A change a seller makes in the CRM's own UI. Every field is optional; only given ones change. */
export interface SellerEdit {
  dealName?: string;
  value?: number;
  notes?: string;
}

/** The written-back status as the CRM record shows it, read directly from the CRM, not through the adapter. */
export interface ObservedStatus {
  state?: string;
  message?: string;
  referralId?: string;
}

export interface CrmContractHarness {
  /** An adapter whose `setup()` has already run against a CRM that has no opportunities of its own. */
  adapter: CrmAdapter;
  /** The page size the adapter was configured with; the suite seeds more than two pages' worth. */
  pageSize: number;
  /**
   * Creates `count` opportunities as sellers would, opted in to co-sell, each with a customer, and
   * returns their CRM IDs in creation order.
   */
  seedDeals(count: number): Promise<string[]>;
  /** Edits one opportunity as a seller would, which advances its modification timestamp. */
  sellerEdit(crmId: string, edit: SellerEdit): Promise<void>;
  /** Reads the sync status fields on the record straight from the CRM. */
  readStatus(crmId: string): Promise<ObservedStatus>;
  /** How many customer records (accounts) the CRM holds with exactly this name. */
  countCustomers(name: string): Promise<number>;
  /** A well-formed CRM ID of a record that does not exist. */
  missingCrmId: string;
  teardown(): Promise<void>;
}

async function collectPages(iterable: AsyncIterable<CrmChangePage>): Promise<CrmChangePage[]> {
  const pages: CrmChangePage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

const dealsOf = (pages: readonly CrmChangePage[]): CrmDeal[] => pages.flatMap((p) => p.deals);

function assertAscending(deals: readonly CrmDeal[]): void {
  for (let i = 1; i < deals.length; i += 1) {
    const before = deals[i - 1]!;
    const after = deals[i]!;
    assert.ok(
      Date.parse(before.modifiedAt) <= Date.parse(after.modifiedAt),
      `deal ${after.crmId} (${after.modifiedAt}) came after ${before.crmId} (${before.modifiedAt}): pages must be oldest first`,
    );
  }
}

let referralCounter = 0;

/** An inbound referral as Partner Center sends it: the input of a `create` write. */
export function contractInboundReferral(label = 'contract'): Referral {
  referralCounter += 1;
  const n = referralCounter;
  const hex = n.toString(16).padStart(12, '0');
  return emptyReferral({
    referralId: `c0ffee00-0000-4000-8000-${hex}`,
    engagementId: `e0ffee00-0000-4000-8000-${hex}`,
    dealName: `${label} deal ${n}`,
    direction: 'inbound',
    status: 'New',
    substatus: 'Received',
    dealType: 'co-sell',
    value: 25_000 + n,
    currency: 'USD',
    closeDate: '2027-03-31',
    customer: { name: `Contract Customer ${n}`, addressLine1: `${n} Main Street`, city: 'Redmond', state: 'WA', postalCode: '98052', country: 'US' },
    customerContact: { firstName: 'Casey', lastName: `Contract${n}`, email: `casey.contract${n}@example.com`, phone: '+1 425 555 0100' },
    initiator: { id: 'msft', name: 'Microsoft' },
    consentToShareContacts: true,
    shareWithMicrosoftSellers: true,
  });
}

const pendingStatus = (message = ''): SyncStatus => ({ state: 'pending', message });

export function runCrmAdapterContract(name: string, setup: () => Promise<CrmContractHarness>): void {
  describe(`CrmAdapter contract: ${name}`, function () {
    this.timeout(60_000);
    let h: CrmContractHarness;

    beforeEach(async () => {
      h = await setup();
    });
    afterEach(async () => {
      await h?.teardown();
    });

    it('declares a display name and a positive batch size', () => {
      assert.ok(h.adapter.displayName.length > 0);
      assert.ok(Number.isInteger(h.adapter.maxBatchSize) && h.adapter.maxBatchSize > 0);
    });

    it('reads every deal once over several pages, in an order edits during the read cannot change', async () => {
      // A first read of everything may come oldest first or by a key an edit cannot move (crm-port.ts
      // readChanges): here the deals are seeded and not edited, so the assertion is that each is read once.
      const seeded = await h.seedDeals(h.pageSize * 2 + 3);
      const pages = await collectPages(h.adapter.readChanges(undefined));
      assert.ok(pages.length >= 3, `expected at least 3 pages for ${seeded.length} deals at page size ${h.pageSize}, got ${pages.length}`);
      for (const page of pages) assert.ok(page.deals.length <= h.pageSize, 'a page must not exceed the configured page size');
      const deals = dealsOf(pages);
      const ids = deals.map((d) => d.crmId);
      assert.equal(new Set(ids).size, ids.length, 'no deal may appear twice in one read');
      for (const id of seeded) assert.ok(ids.includes(id), `seeded deal ${id} was not read`);
      for (const deal of deals) {
        assert.ok(!Number.isNaN(Date.parse(deal.modifiedAt)), `modifiedAt of ${deal.crmId} must be ISO 8601`);
        assert.equal(deal.referral.crmId ?? deal.crmId, deal.crmId);
        assert.ok(deal.referral.dealName.length > 0, `deal ${deal.crmId} must carry its name`);
        assert.ok(Array.isArray(deal.problems));
      }
    });

    it('resumes from a cursor without losing deals, and sees later seller edits', async () => {
      const seeded = await h.seedDeals(h.pageSize * 2 + 1);
      const first = await collectPages(h.adapter.readChanges(undefined));
      const firstIds = new Set(first[0]!.deals.map((d) => d.crmId));
      // Resume after the first page, as the engine does after a crash between pages.
      const resumed = dealsOf(await collectPages(h.adapter.readChanges(first[0]!.cursor)));
      const resumedIds = new Set(resumed.map((d) => d.crmId));
      for (const id of seeded) {
        assert.ok(firstIds.has(id) || resumedIds.has(id), `deal ${id} was lost when resuming from a cursor`);
      }
      assert.equal(resumedIds.size, resumed.length, 'no deal may appear twice after resuming');

      // Nothing changed since the last cursor: an overlap may be re-read, but nothing new appears.
      const lastCursor: CrmCursor = first[first.length - 1]!.cursor;
      const known = new Map(dealsOf(first).map((d) => [d.crmId, d.modifiedAt]));
      for (const deal of dealsOf(await collectPages(h.adapter.readChanges(lastCursor)))) {
        assert.equal(deal.modifiedAt, known.get(deal.crmId), `deal ${deal.crmId} re-read after the cursor was not an overlap`);
      }

      const target = seeded[1]!;
      await h.sellerEdit(target, { dealName: 'Edited by a seller' });
      const after = dealsOf(await collectPages(h.adapter.readChanges(lastCursor)));
      const edited = after.find((d) => d.crmId === target);
      assert.ok(edited, 'a seller edit after the cursor must be read on the next run');
      assert.equal(edited.referral.dealName, 'Edited by a seller');
      assert.ok(Date.parse(edited.modifiedAt) >= Date.parse(known.get(target)!));

      // A read from a cursor lists what changed oldest first: edits a second apart, the later on an older deal.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await h.sellerEdit(seeded[0]!, { dealName: 'Edited by a seller, later' });
      const changes = dealsOf(await collectPages(h.adapter.readChanges(lastCursor)));
      assert.ok(changes.some((d) => d.crmId === seeded[0]), 'the later seller edit must be read');
      assertAscending(changes);
    });

    it('creates one record per referral, ever, and finds it by referral ID', async () => {
      const referral = contractInboundReferral();
      const referralId = referral.referralId!;
      const [created] = await h.adapter.write([{ kind: 'create', key: referralId, referral, status: pendingStatus() }]);
      assert.ok(created?.ok, `create failed: ${JSON.stringify(created)}`);
      assert.equal(created.key, referralId);

      const found = oldestCarriers(await h.adapter.findAllByReferralIds([referralId, 'f0000000-0000-4000-8000-000000000000']));
      assert.equal(found.size, 1, 'only the existing referral is found');
      assert.equal(found.get(referralId), created.crmId);
      assert.deepEqual([...(await h.adapter.findAllByReferralIds([referralId, 'f0000000-0000-4000-8000-000000000000']))], [[referralId, [created.crmId]]], 'every record carrying it');

      // A repeated create (an engine retry after a timeout) must not make a second record.
      const [again] = await h.adapter.write([{ kind: 'create', key: referralId, referral, status: pendingStatus() }]);
      if (again?.ok) assert.equal(again.crmId, created.crmId, 'a repeated create must return the same record');
      const carriers = dealsOf(await collectPages(h.adapter.readChanges(undefined))).filter((d) => d.referral.referralId === referralId);
      assert.equal(carriers.length, 1, 'exactly one deal carries the referral ID');

      const [deal] = await h.adapter.getDeals([created.crmId]);
      assert.ok(deal);
      assert.equal(deal.referral.referralId, referralId);
      assert.equal(deal.referral.dealName, referral.dealName);
      assert.equal(deal.referral.customer.name, referral.customer.name);
      assert.equal(deal.referral.direction, 'inbound');
      assert.equal(deal.referral.customerContact?.email, referral.customerContact!.email, 'the customer contact is linked to the deal');
      assert.ok(deal.intent.optedIn, 'a deal that came from Partner Center is opted in');
    });

    it('names the fields a seller fixes by the CRM\'s own labels (the reasons on a record use them)', () => {
      const labels = h.adapter.fieldLabels;
      for (const path of ['dealName', 'value', 'closeDate', 'customer.country', 'solutions', 'team', 'customerContact']) {
        assert.ok(labels[path] && labels[path] !== path, `${path} has a label: ${labels[path]}`);
      }
    });

    it('states how long a deal name it keeps, keeps one that long, and refuses a longer one naming the field and its own rule', async () => {
      const limit = h.adapter.textLimits.dealName;
      assert.ok(Number.isInteger(limit) && limit! > 0, 'textLimits.dealName is the CRM field length');
      const fits = { ...contractInboundReferral(), dealName: 'F'.repeat(limit!) };
      const tooLong = { ...contractInboundReferral(), dealName: 'L'.repeat(limit! + 1) };
      const [kept, refused] = await h.adapter.write([
        { kind: 'create', key: fits.referralId!, referral: fits, status: pendingStatus() },
        { kind: 'create', key: tooLong.referralId!, referral: tooLong, status: pendingStatus() },
      ]);
      assert.ok(kept?.ok, JSON.stringify(kept));
      assert.equal((await h.adapter.getDeals([kept.crmId]))[0]?.referral.dealName, fits.dealName);
      assert.equal(refused?.ok, false);
      if (refused && !refused.ok) {
        assert.equal(refused.code, 'validation');
        assert.equal(refused.field, 'dealName');
        assert.ok(refused.rule, 'the CRM\'s own code for the refusal');
      }
    });

    it('does not create a second customer account for the same customer', async () => {
      const a = contractInboundReferral();
      const b = { ...contractInboundReferral(), customer: { ...a.customer } };
      const results = await h.adapter.write([
        { kind: 'create', key: a.referralId!, referral: a, status: pendingStatus() },
        { kind: 'create', key: b.referralId!, referral: b, status: pendingStatus() },
      ]);
      assert.ok(results.every((r) => r.ok), JSON.stringify(results));
      assert.equal(await h.countCustomers(a.customer.name), 1, 'both deals must share one customer record');
      // A later batch for the same customer matches the existing record too.
      const c = { ...contractInboundReferral(), customer: { ...a.customer } };
      const [later] = await h.adapter.write([{ kind: 'create', key: c.referralId!, referral: c, status: pendingStatus() }]);
      assert.ok(later?.ok, JSON.stringify(later));
      assert.equal(await h.countCustomers(a.customer.name), 1, 'a later create must match the existing customer record');
    });

    it('writes only the changed fields on update, and the change round-trips through getDeals', async () => {
      const [crmId] = await h.seedDeals(1);
      const [before] = await h.adapter.getDeals([crmId!]);
      assert.ok(before);
      const merged: Referral = { ...before.referral, dealName: 'Renamed by the engine', value: (before.referral.value ?? 0) + 999 };
      const write: CrmWrite = { kind: 'update', key: crmId!, crmId: crmId!, referral: merged, changedFields: ['dealName'], ...(before.etag ? { etag: before.etag } : {}) };
      const [result] = await h.adapter.write([write]);
      assert.ok(result?.ok, JSON.stringify(result));
      const [after] = await h.adapter.getDeals([crmId!]);
      assert.equal(after?.referral.dealName, 'Renamed by the engine');
      assert.equal(after?.referral.value, before.referral.value, 'a field outside changedFields must not be written');
    });

    it('writes the sync status back where the seller can see it', async () => {
      const [crmId] = await h.seedDeals(1);
      const status: SyncStatus = { state: 'error', message: 'Customer country is missing: set the billing country', lastSyncedAt: new Date().toISOString() };
      const [result] = await h.adapter.write([{ kind: 'status', key: crmId!, crmId: crmId!, status }]);
      assert.ok(result?.ok, JSON.stringify(result));
      const seen = await h.readStatus(crmId!);
      assert.equal(seen.state, 'error');
      assert.equal(seen.message, status.message);

      await h.adapter.write([{ kind: 'status', key: crmId!, crmId: crmId!, status: { state: 'synced', message: '', referralId: 'aaaaaaaa-0000-4000-8000-000000000001' } }]);
      const synced = await h.readStatus(crmId!);
      assert.equal(synced.state, 'synced');
      assert.equal(synced.referralId, 'aaaaaaaa-0000-4000-8000-000000000001');
    });

    it('answers each write separately and does not throw for one bad record', async () => {
      const [crmId] = await h.seedDeals(1);
      const writes: CrmWrite[] = [
        { kind: 'status', key: 'good-1', crmId: crmId!, status: pendingStatus('first') },
        { kind: 'status', key: 'missing', crmId: h.missingCrmId, status: pendingStatus('nowhere') },
        { kind: 'status', key: 'good-2', crmId: crmId!, status: pendingStatus('second') },
      ];
      const results = await h.adapter.write(writes);
      assert.deepEqual(results.map((r) => r.key), ['good-1', 'missing', 'good-2'], 'results come back in request order with their keys');
      assert.ok(results[0]!.ok && results[2]!.ok);
      const bad = results[1]!;
      assert.equal(bad.ok, false);
      if (!bad.ok) {
        assert.ok(['not_found', 'validation', 'failed'].includes(bad.code), `unexpected code ${bad.code}`);
        assert.ok(bad.message.length > 0, 'a failure says why');
      }
    });

    it('omits missing IDs from getDeals', async () => {
      const [crmId] = await h.seedDeals(1);
      const deals = await h.adapter.getDeals([crmId!, h.missingCrmId]);
      assert.deepEqual(deals.map((d) => d.crmId), [crmId]);
    });

    it('names, of the IDs given, only the records that no longer exist (the existence check after a deletion gap)', async () => {
      const [crmId] = await h.seedDeals(1);
      assert.deepEqual(await h.adapter.missingIds([crmId!, h.missingCrmId]), [h.missingCrmId]);
      assert.deepEqual(await h.adapter.missingIds([]), []);
    });

    it('lists the CRM stages, including a won and a lost one', async () => {
      const stages = await h.adapter.listStages();
      assert.ok(stages.length > 0);
      assert.ok(stages.some((s) => s.isClosed && s.isWon), 'a won stage');
      assert.ok(stages.some((s) => s.isClosed && !s.isWon), 'a lost stage');
      assert.ok(stages.some((s) => !s.isClosed), 'an open stage');
    });

    it('runs setup again without creating anything', async () => {
      const again = await h.adapter.setup();
      assert.deepEqual(again.created, [], 'the second setup must create nothing');
      assert.ok(again.alreadyPresent.length > 0);
    });

    it('reports ready after setup', async () => {
      const report = await h.adapter.check();
      const failed = report.items.filter((i) => !i.ok);
      assert.ok(report.ready, `check failed: ${failed.map((i) => `${i.name}: ${i.detail}`).join('; ')}`);
      assert.ok(report.items.length > 0);
    });
  });
}
