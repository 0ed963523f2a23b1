/**
 * The asynchronous store contract, part 4: what many workers need. A page's records read in one go;
 * two connections committing pages for the same tenant at once; a race on the same referral; the lock
 * under contention; tenants that never see each other's rows. Run against every `AsyncStateStore`.
 */
import assert from 'node:assert/strict';
import type { AsyncStateStore } from '../../core/store/async-state-store.js';
import { PageState } from '../../core/store/async-state-store.js';
import { error } from '../../core/rules/violation.js';
import { outboundDeal } from '../helpers/referrals.js';
import { makeLink, minutesAfterCreation } from './store-fixtures.js';
import { rejectsWithCode, yieldTurn, type ContractWorld, type OpenContractWorld } from './async-store-fixtures.js';

const STALE_MS = 60_000;
const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const reasons = [error('create.team.required', 'team', 'Add at least one team member.')];

/** One page of work for links `from`..`to`, yielding between writes so that concurrent pages interleave. */
async function commitPage(store: AsyncStateStore, from: number, to: number, cursor: string): Promise<void> {
  await store.transaction(async (tx) => {
    for (let n = from; n <= to; n++) {
      await tx.putLink(makeLink(n));
      await tx.park({ side: 'partner-center', recordId: `p${n}`, reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(n), attempts: 1 });
      await yieldTurn();
    }
    await tx.putCursor(from === 1 ? 'crm' : 'partner-center', { page: cursor });
  });
}

const crmIds = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => makeLink(from + i).crmId);

export function asyncWorkerContract(open: OpenContractWorld): void {
  let world: ContractWorld;
  let store: AsyncStateStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ cleanup, ...world } = await open());
    store = world.store;
  });
  afterEach(() => cleanup());

  describe('page preload', () => {
    it("reads a page's links by either ID with their intents, parked records and open conflicts", async () => {
      await store.putLink(makeLink(1));
      await store.putLink(makeLink(2));
      await store.putIntent({ target: 'referral', sourceId: 'new-crm-record', createdAt: minutesAfterCreation(1), attempts: 1 });
      await store.putIntent({ target: 'crm', sourceId: 'new-referral', createdAt: minutesAfterCreation(1), attempts: 2 });
      await store.park({ side: 'partner-center', recordId: makeLink(1).referralId, reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(2), attempts: 1 });
      await store.park({ side: 'crm', recordId: makeLink(2).crmId, reasons, fingerprint: 'g', parkedAt: minutesAfterCreation(2), attempts: 1, retryAt: minutesAfterCreation(9) });
      const conflict = await store.addConflict({ crmId: makeLink(2).crmId, referralId: makeLink(2).referralId, fields: ['value'], base: outboundDeal(), crm: outboundDeal({ value: 1 }), partnerCenter: outboundDeal({ value: 2 }), detectedAt: minutesAfterCreation(3) });
      await store.putLink(makeLink(3));
      const page = new PageState(await store.loadPage({ crmIds: [makeLink(1).crmId, 'new-crm-record', 'unknown'], referralIds: [makeLink(2).referralId, 'new-referral'] }));
      assert.deepEqual(page.linkByCrmId(makeLink(1).crmId), makeLink(1));
      assert.deepEqual(page.linkByReferralId(makeLink(2).referralId), makeLink(2));
      assert.equal(page.linkByCrmId(makeLink(3).crmId), undefined, 'a link the page does not name is not read');
      assert.equal(page.intent('referral', 'new-crm-record')?.attempts, 1);
      assert.equal(page.intent('crm', 'new-referral')?.attempts, 2);
      assert.equal(page.parked('partner-center', makeLink(1).referralId)?.fingerprint, 'f', "found through the CRM record's link");
      assert.equal(page.parked('crm', makeLink(2).crmId)?.retryAt, minutesAfterCreation(9), "found through the referral's link");
      assert.deepEqual(page.openConflictFor(makeLink(2).crmId), conflict);
      const empty = await store.loadPage({});
      assert.deepEqual(empty, { links: [], intents: [], parked: [], openConflicts: [] });
    });

    it("reads a page's links as versions (no base), with the parked records and open conflicts a page read finds", async () => {
      await store.putLink(makeLink(1, { crmEtag: '"crm-1"', heldUntil: minutesAfterCreation(30) }));
      await store.putLink(makeLink(2, { state: 'crm-deleted' }));
      await store.putLink(makeLink(3));
      await store.park({ side: 'partner-center', recordId: makeLink(1).referralId, reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(2), attempts: 1 });
      const conflict = await store.addConflict({ crmId: makeLink(2).crmId, referralId: makeLink(2).referralId, fields: ['value'], base: outboundDeal(), crm: outboundDeal({ value: 1 }), partnerCenter: outboundDeal({ value: 2 }), detectedAt: minutesAfterCreation(3) });
      const keys = { crmIds: [makeLink(1).crmId, 'unknown'], referralIds: [makeLink(2).referralId] };
      const versions = await store.loadVersions(keys);
      const byCrmId = new Map(versions.links.map((l) => [l.crmId, l]));
      assert.deepEqual(byCrmId.get(makeLink(1).crmId), { crmId: makeLink(1).crmId, referralId: makeLink(1).referralId, state: 'active', heldUntil: minutesAfterCreation(30), crmEtag: '"crm-1"', pcEtag: makeLink(1).pcEtag });
      assert.deepEqual(byCrmId.get(makeLink(2).crmId), { crmId: makeLink(2).crmId, referralId: makeLink(2).referralId, state: 'crm-deleted', pcEtag: makeLink(2).pcEtag });
      assert.equal(byCrmId.size, 2, 'a link the keys do not name is not read');
      const page = await store.loadPage(keys);
      assert.deepEqual(versions.parked, page.parked, "found through the CRM record's link, as a page read finds it");
      assert.deepEqual(versions.openConflicts, [conflict]);
      assert.deepEqual(await store.loadVersions({}), { links: [], parked: [], openConflicts: [] });
    });

    it("sees the transaction's own writes inside it, and nothing of them after a rollback", async () => {
      await assert.rejects(() =>
        store.transaction(async (tx) => {
          await tx.putLink(makeLink(1));
          const inside = await tx.loadPage({ crmIds: [makeLink(1).crmId] });
          assert.deepEqual(inside.links, [makeLink(1)]);
          throw new Error('page failed');
        }),
      /page failed/);
      assert.deepEqual((await store.loadPage({ crmIds: [makeLink(1).crmId] })).links, []);
    });
  });

  describe('two connections to the same tenant', () => {
    it('commit interleaved pages for the same tenant, and each sees all of both', async () => {
      await Promise.all([commitPage(world.store, 1, 15, 'a'), commitPage(world.secondConnection, 16, 30, 'b')]);
      for (const reader of [world.store, world.secondConnection]) {
        assert.deepEqual((await reader.listLinks({})).map((l) => l.crmId).sort(), crmIds(1, 30).sort());
        assert.equal(await reader.countParked(), 30);
        assert.deepEqual(await reader.getCursor('crm'), { page: 'a' });
        assert.deepEqual(await reader.getCursor('partner-center'), { page: 'b' });
      }
    });

    it('a page that fails on one connection rolls back alone while the other commits', async () => {
      const failing = world.secondConnection.transaction(async (tx) => {
        await tx.putLink(makeLink(40));
        await yieldTurn();
        throw new Error('CRM write failed mid-page');
      });
      await Promise.all([commitPage(world.store, 1, 5, 'a'), assert.rejects(failing, /mid-page/)]);
      assert.deepEqual((await world.secondConnection.listLinks({})).map((l) => l.crmId).sort(), crmIds(1, 5).sort());
    });

    it('linking one referral to two CRM records at once: one page commits, the other rolls back whole', async () => {
      const claim = (reader: AsyncStateStore, n: number) =>
        reader.transaction(async (tx) => {
          await tx.putCursor('crm', { page: `claim-${n}` });
          await yieldTurn();
          await tx.putLink(makeLink(n, { referralId: 'contested' }));
          await yieldTurn();
        });
      const results = await Promise.allSettled([claim(world.store, 1), claim(world.secondConnection, 2)]);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      const lost = results.find((r) => r.status === 'rejected');
      assert.ok(won >= 0 && lost, `exactly one claim wins: ${JSON.stringify(results.map((r) => r.status))}`);
      assert.equal((lost.reason as { code?: string }).code, 'store.link_conflict');
      assert.equal((await store.getLinkByReferralId('contested'))?.crmId, makeLink(won + 1).crmId);
      assert.equal((await store.listLinks({})).length, 1);
      assert.deepEqual(await store.getCursor('crm'), { page: `claim-${won + 1}` }, "the losing page's cursor was rolled back with it");
    });

    it('gives the runner lock to exactly one of two connections asking at once', async () => {
      const [a, b] = await Promise.all([world.store.acquireLock('worker-a', T0, STALE_MS), world.secondConnection.acquireLock('worker-b', T0, STALE_MS)]);
      assert.equal(Number(a) + Number(b), 1);
      assert.equal((await store.lockHolder())?.owner, a ? 'worker-a' : 'worker-b');
    });
  });

  describe('tenants', () => {
    it('keep the same IDs apart: links, intents, parked records, cursors and related rows', async () => {
      const other = world.otherTenant;
      await store.putLink(makeLink(1));
      await other.putLink(makeLink(1, { base: outboundDeal({ dealName: 'Other tenant' }) }));
      await other.putLink(makeLink(2, { referralId: 'only-b' }));
      await store.putIntent({ target: 'crm', sourceId: 'r', createdAt: minutesAfterCreation(1), attempts: 1 });
      await other.park({ side: 'crm', recordId: 'x', reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(1), attempts: 1, retryAt: minutesAfterCreation(2) });
      await store.putCursor('crm', { tenant: 'a' });
      await other.putCursor('crm', { tenant: 'b' });
      await other.rememberRelatedRows([{ rowId: 'row', parentId: 'b-parent' }]);
      assert.equal((await store.getLinkByCrmId(makeLink(1).crmId))?.base.dealName, makeLink(1).base.dealName);
      assert.equal((await other.getLinkByReferralId(makeLink(1).referralId))?.base.dealName, 'Other tenant');
      assert.deepEqual(await store.countLinks(), { active: 1, 'crm-deleted': 0, 'referral-missing': 0 });
      assert.deepEqual(await other.countLinks(), { active: 2, 'crm-deleted': 0, 'referral-missing': 0 });
      assert.deepEqual(await other.listIntents(), []);
      assert.deepEqual(await store.dueParked(minutesAfterCreation(60)), []);
      assert.equal((await other.dueParked(minutesAfterCreation(60))).length, 1);
      assert.deepEqual(await store.getCursor('crm'), { tenant: 'a' });
      assert.deepEqual(await other.getCursor('crm'), { tenant: 'b' });
      assert.equal((await store.relatedParents(['row'])).size, 0);
      assert.deepEqual((await store.loadPage({ crmIds: [makeLink(2).crmId], referralIds: ['only-b'] })).links, []);
    });

    it("keep conflicts, runs and locks apart: another tenant's IDs are unknown", async () => {
      await store.putLink(makeLink(1));
      const conflict = await store.addConflict({ crmId: makeLink(1).crmId, referralId: makeLink(1).referralId, fields: ['value'], base: outboundDeal(), crm: outboundDeal(), partnerCenter: outboundDeal(), detectedAt: minutesAfterCreation(1) });
      const run = await store.startRun(minutesAfterCreation(1));
      assert.equal(await world.otherTenant.getConflict(conflict.id), undefined);
      assert.deepEqual(await world.otherTenant.listConflicts({ includeResolved: true }), []);
      await rejectsWithCode(() => world.otherTenant.resolveConflict(conflict.id, 'crm', minutesAfterCreation(2)), 'store.conflict_not_open');
      await rejectsWithCode(() => world.otherTenant.finishRun(run.id, { counts: {} }), 'store.run_not_found');
      assert.equal(await world.otherTenant.failUnfinishedRuns(minutesAfterCreation(2), 'x'), 0);
      assert.equal(await store.acquireLock('worker-a', T0, STALE_MS), true);
      assert.equal(await world.otherTenant.acquireLock('worker-b', T0, STALE_MS), true, "each tenant's sync has its own lock");
      assert.equal((await store.listRuns(10))[0]?.finishedAt, undefined);
      assert.equal((await store.openConflictFor(makeLink(1).crmId))?.id, conflict.id);
    });
  });
}
