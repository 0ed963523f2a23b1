/**
 * The asynchronous store contract, part 1: what each kind of record does. The synchronous suite
 * (behaviour-records.ts) with every call awaited, run against every `AsyncStateStore` implementation
 * (SQLite and PostgreSQL), so that both keep the synchronous store's semantics.
 */
import assert from 'node:assert/strict';
import type { AsyncStateStore } from '../../core/store/async-state-store.js';
import { needsAttention, pipelineDealOf, type PipelineDeal } from '../../core/store/state-store.js';
import { error } from '../../core/rules/violation.js';
import { outboundDeal } from '../helpers/referrals.js';
import { attentionFixture, conflictOn, makeLink, minutesAfterCreation } from './store-fixtures.js';
import { rejectsWithCode, type OpenContractWorld } from './async-store-fixtures.js';

export function asyncRecordContract(open: OpenContractWorld): void {
  let store: AsyncStateStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await open()));
  afterEach(() => cleanup());

  describe('links', () => {
    it('reads a link back by its CRM ID and by its referral ID, deep-equal to what was put', async () => {
      const link = makeLink(1, { lastStatus: { state: 'synced', message: '' }, crmEtag: 'W/"42"', crmModifiedAt: minutesAfterCreation(1) });
      await store.putLink(link);
      assert.deepEqual(await store.getLinkByCrmId(link.crmId), link);
      assert.deepEqual(await store.getLinkByReferralId(link.referralId), link);
      assert.equal(await store.getLinkByCrmId('006-unknown'), undefined);
      assert.equal(await store.getLinkByReferralId('unknown'), undefined);
    });

    it('replaces a link by CRM ID, dropping optional fields the new version leaves out', async () => {
      await store.putLink(makeLink(1, { heldUntil: '2026-01-08T09:00:00.000Z' }));
      const { pcEtag: _dropped, ...updated } = makeLink(1, { state: 'crm-deleted', base: outboundDeal({ dealName: 'Renamed' }) });
      await store.putLink(updated);
      const read = await store.getLinkByCrmId(updated.crmId);
      assert.deepEqual(read, updated);
      assert.equal(read?.heldUntil, undefined);
      assert.equal(read?.base.dealName, 'Renamed');
    });

    it('re-linking a CRM record to another referral frees the old referral ID', async () => {
      await store.putLink(makeLink(1));
      await store.putLink(makeLink(1, { referralId: 'new-referral' }));
      assert.equal(await store.getLinkByReferralId(makeLink(1).referralId), undefined);
      assert.equal((await store.getLinkByReferralId('new-referral'))?.crmId, makeLink(1).crmId);
    });

    it('deletes a link, so that its referral can go to another CRM record in the same transaction', async () => {
      await store.putLink(makeLink(1));
      await store.putLink(makeLink(2));
      await store.transaction(async (tx) => {
        await tx.deleteLink(makeLink(1).crmId);
        await tx.putLink(makeLink(3, { referralId: makeLink(1).referralId }));
      });
      assert.equal(await store.getLinkByCrmId(makeLink(1).crmId), undefined);
      assert.equal((await store.getLinkByReferralId(makeLink(1).referralId))?.crmId, makeLink(3).crmId);
      assert.deepEqual(await store.getLinkByCrmId(makeLink(2).crmId), makeLink(2));
    });

    it('refuses to link a referral that is already linked to another CRM record, changing nothing', async () => {
      await store.putLink(makeLink(1));
      await store.putLink(makeLink(2));
      await rejectsWithCode(() => store.putLink(makeLink(3, { referralId: makeLink(1).referralId })), 'store.link_conflict');
      await rejectsWithCode(() => store.putLink(makeLink(2, { referralId: makeLink(1).referralId })), 'store.link_conflict');
      assert.equal(await store.getLinkByCrmId(makeLink(3).crmId), undefined);
      assert.deepEqual(await store.getLinkByCrmId(makeLink(2).crmId), makeLink(2));
      assert.equal((await store.getLinkByReferralId(makeLink(1).referralId))?.crmId, makeLink(1).crmId);
    });

    it('hands out copies: changing a returned link does not change the store', async () => {
      await store.putLink(makeLink(1));
      const read = await store.getLinkByCrmId(makeLink(1).crmId);
      assert.ok(read);
      read.base.dealName = 'mutated';
      read.base.team.length = 0;
      assert.deepEqual(await store.getLinkByCrmId(makeLink(1).crmId), makeLink(1));
    });

    it('stores a hold in canonical ISO form and refuses one that is not an instant', async () => {
      await store.putLink(makeLink(1, { heldUntil: '2026-01-08T09:00:00Z' }));
      assert.equal((await store.getLinkByCrmId(makeLink(1).crmId))?.heldUntil, '2026-01-08T09:00:00.000Z');
      await rejectsWithCode(() => store.putLink(makeLink(2, { heldUntil: 'next tuesday' })), 'store.invalid_instant');
    });

    it('lists the active links that may need a person and the pipeline fields of every active link, as the synchronous store does', async () => {
      const { links, attention, active } = attentionFixture();
      for (const link of links) await store.putLink(link);
      assert.deepEqual((await store.attentionLinks()).map((l) => l.crmId), attention);
      assert.deepEqual(await store.attentionLinks(), (await store.listLinks({ state: 'active' })).filter(needsAttention), 'the query says what needsAttention says');
      const byValue = (deals: PipelineDeal[]) => [...deals].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      assert.deepEqual(byValue(await store.pipelineDeals()), byValue(active.map((l) => pipelineDealOf(l.base))));
    });

    it('lists links newest first, by state and in pages, and counts every state', async () => {
      for (const n of [1, 2, 3, 4]) await store.putLink(makeLink(n, { state: n % 2 === 0 ? 'crm-deleted' : 'active' }));
      const ids = (links: { crmId: string }[]) => links.map((link) => link.crmId);
      assert.deepEqual(ids(await store.listLinks({})), [4, 3, 2, 1].map((n) => makeLink(n).crmId));
      assert.deepEqual(ids(await store.listLinks({ state: 'active' })), [3, 1].map((n) => makeLink(n).crmId));
      assert.deepEqual(ids(await store.listLinks({ limit: 2, offset: 1 })), [3, 2].map((n) => makeLink(n).crmId));
      assert.deepEqual(await store.countLinks(), { active: 2, 'crm-deleted': 2, 'referral-missing': 0 });
    });

    it('finds due holds (ending at or before now) in the order they end, ignoring links without a hold', async () => {
      await store.putLink(makeLink(1, { heldUntil: '2026-01-08T12:00:00.000Z' }));
      await store.putLink(makeLink(2, { heldUntil: '2026-01-08T09:00:00.000Z' }));
      await store.putLink(makeLink(3, { heldUntil: '2026-01-09T00:00:00.000Z' }));
      await store.putLink(makeLink(4));
      await store.putLink(makeLink(5, { heldUntil: '2026-01-08T09:00:00.000Z' }));
      const due = async (now: string) => (await store.dueHolds(now)).map((link) => link.crmId);
      assert.deepEqual(await due('2026-01-08T08:59:59.999Z'), []);
      assert.deepEqual(await due('2026-01-08T12:00:00Z'), [2, 5, 1].map((n) => makeLink(n).crmId));
      assert.deepEqual(await due('2026-02-01T00:00:00.000Z'), [2, 5, 1, 3].map((n) => makeLink(n).crmId));
    });
  });

  describe('create intents', () => {
    it('records, updates, lists and deletes intents by target and source ID', async () => {
      assert.equal(await store.getIntent('referral', 'a'), undefined);
      await store.putIntent({ target: 'referral', sourceId: 'b', createdAt: minutesAfterCreation(2), attempts: 1 });
      await store.putIntent({ target: 'crm', sourceId: 'b', createdAt: minutesAfterCreation(1), attempts: 1 });
      await store.putIntent({ target: 'referral', sourceId: 'b', createdAt: minutesAfterCreation(2), attempts: 2 });
      assert.deepEqual(await store.getIntent('referral', 'b'), { target: 'referral', sourceId: 'b', createdAt: minutesAfterCreation(2), attempts: 2 });
      assert.deepEqual((await store.listIntents()).map((i) => `${i.target}:${i.sourceId}:${i.attempts}`), ['crm:b:1', 'referral:b:2']);
      await store.deleteIntent('referral', 'b');
      await store.deleteIntent('referral', 'never-there');
      assert.equal(await store.getIntent('referral', 'b'), undefined);
      assert.equal((await store.listIntents()).length, 1);
    });
  });

  describe('parked records', () => {
    const reasons = [error('create.team.required', 'team', 'Add at least one team member.')];

    it('parks, re-parks and unparks a record per side, keeping its reasons', async () => {
      await store.park({ side: 'crm', recordId: 'x', reasons, fingerprint: 'f1', parkedAt: minutesAfterCreation(1), attempts: 1 });
      await store.park({ side: 'partner-center', recordId: 'x', reasons: [], fingerprint: 'p1', parkedAt: minutesAfterCreation(2), attempts: 1 });
      await store.park({ side: 'crm', recordId: 'x', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(3), attempts: 2 });
      assert.deepEqual(await store.getParked('crm', 'x'), { side: 'crm', recordId: 'x', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(3), attempts: 2 });
      assert.equal(await store.countParked(), 2);
      await store.unpark('crm', 'x');
      assert.equal(await store.getParked('crm', 'x'), undefined);
      assert.equal((await store.getParked('partner-center', 'x'))?.fingerprint, 'p1');
      assert.equal(await store.countParked(), 1);
    });

    it("keeps a parked record's deal name, and drops it when a re-park leaves it out", async () => {
      await store.park({ side: 'partner-center', recordId: 'n', name: 'Contoso expansion', reasons, fingerprint: 'f1', parkedAt: minutesAfterCreation(1), attempts: 1 });
      assert.equal((await store.getParked('partner-center', 'n'))?.name, 'Contoso expansion');
      assert.equal((await store.listParked())[0]?.name, 'Contoso expansion');
      await store.park({ side: 'partner-center', recordId: 'n', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(2), attempts: 2 });
      assert.equal('name' in (await store.getParked('partner-center', 'n'))!, false);
    });

    it("keeps a parked record's team, so that a deal without a link can still tell its sellers", async () => {
      await store.park({ side: 'crm', recordId: 't', team: ['sam@contoso.example', 'ana@contoso.example'], reasons, fingerprint: 'f1', parkedAt: minutesAfterCreation(1), attempts: 1 });
      assert.deepEqual((await store.getParked('crm', 't'))?.team, ['sam@contoso.example', 'ana@contoso.example']);
      assert.deepEqual((await store.listParked({ side: 'crm' }))[0]?.team, ['sam@contoso.example', 'ana@contoso.example']);
      assert.deepEqual((await store.loadPage({ crmIds: ['t'] })).parked[0]?.team, ['sam@contoso.example', 'ana@contoso.example']);
      await store.park({ side: 'crm', recordId: 't', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(2), attempts: 2 });
      assert.equal('team' in (await store.getParked('crm', 't'))!, false);
    });

    it("keeps a parked CRM record's version, so that a listing of that version does not read it back", async () => {
      await store.park({ side: 'crm', recordId: 'v', reasons, fingerprint: 'f1', parkedAt: minutesAfterCreation(1), attempts: 1, crmEtag: 'W/"101"' });
      assert.equal((await store.getParked('crm', 'v'))?.crmEtag, 'W/"101"');
      assert.equal((await store.listParked({ side: 'crm' }))[0]?.crmEtag, 'W/"101"');
      assert.equal((await store.loadVersions({ crmIds: ['v'] })).parked[0]?.crmEtag, 'W/"101"');
      await store.park({ side: 'crm', recordId: 'v', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(2), attempts: 2 });
      assert.equal('crmEtag' in (await store.getParked('crm', 'v'))!, false);
    });

    it('lists records due for a retry by their retry time, and never those without one', async () => {
      await store.park({ side: 'crm', recordId: 'later', reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(1), attempts: 1, retryAt: minutesAfterCreation(30) });
      await store.park({ side: 'partner-center', recordId: 'soon', reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(2), attempts: 2, retryAt: minutesAfterCreation(10) });
      await store.park({ side: 'crm', recordId: 'on-change', reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(3), attempts: 1 });
      assert.deepEqual(await store.dueParked(minutesAfterCreation(5)), []);
      assert.deepEqual((await store.dueParked(minutesAfterCreation(10))).map((p) => p.recordId), ['soon']);
      assert.deepEqual((await store.dueParked(minutesAfterCreation(60))).map((p) => p.recordId), ['soon', 'later']);
      assert.deepEqual((await store.dueParked(minutesAfterCreation(60), 1)).map((p) => p.recordId), ['soon']);
      assert.equal((await store.getParked('partner-center', 'soon'))?.retryAt, minutesAfterCreation(10));
    });

    it('lists parked records newest first, by side and up to a limit', async () => {
      for (const n of [1, 2, 3]) await store.park({ side: n === 2 ? 'partner-center' : 'crm', recordId: `r${n}`, reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(n), attempts: 1 });
      assert.deepEqual((await store.listParked()).map((p) => p.recordId), ['r3', 'r2', 'r1']);
      assert.deepEqual((await store.listParked({ side: 'crm' })).map((p) => p.recordId), ['r3', 'r1']);
      assert.deepEqual((await store.listParked({ limit: 1 })).map((p) => p.recordId), ['r3']);
    });
  });

  describe('conflicts', () => {
    it('opens conflicts with increasing IDs and moves them to resolved', async () => {
      await store.putLink(makeLink(1));
      await store.putLink(makeLink(2));
      const first = await store.addConflict(conflictOn(1));
      const second = await store.addConflict(conflictOn(2));
      assert.ok(second.id > first.id);
      assert.deepEqual(first, { ...conflictOn(1), id: first.id });
      assert.deepEqual(await store.getConflict(first.id), first);
      assert.deepEqual(await store.openConflictFor(makeLink(2).crmId), second);
      await store.resolveConflict(first.id, 'partner-center', minutesAfterCreation(20));
      assert.deepEqual((await store.listConflicts()).map((c) => c.id), [second.id]);
      assert.equal(await store.openConflictFor(makeLink(1).crmId), undefined);
      assert.deepEqual((await store.listConflicts({ includeResolved: true })).map((c) => c.id), [first.id, second.id]);
      assert.deepEqual(await store.getConflict(first.id), { ...first, resolution: 'partner-center', resolvedAt: minutesAfterCreation(20) });
    });

    it('refreshes an open conflict\'s two sides in a transaction, and leaves a settled one as it was settled', async () => {
      await store.putLink(makeLink(1));
      const conflict = await store.addConflict(conflictOn(1));
      const now = { crm: { ...conflict.crm, notes: 'edited again in the CRM' }, partnerCenter: { ...conflict.partnerCenter, notes: 'edited again in Partner Center' } };
      await store.transaction((tx) => tx.refreshConflict(conflict.id, now));
      assert.deepEqual(await store.getConflict(conflict.id), { ...conflict, ...now }, 'fields, base and detection time kept');
      await store.resolveConflict(conflict.id, 'crm', minutesAfterCreation(20));
      await store.transaction((tx) => tx.refreshConflict(conflict.id, { crm: conflict.crm, partnerCenter: conflict.partnerCenter }));
      assert.deepEqual((await store.getConflict(conflict.id))?.crm, now.crm);
    });

    it('closes an open conflict whose sides agree in a transaction, and leaves a settled one as it was settled', async () => {
      await store.putLink(makeLink(1));
      const conflict = await store.addConflict(conflictOn(1));
      await store.transaction((tx) => tx.closeAgreedConflict(conflict.id, 'partner-center', minutesAfterCreation(20)));
      assert.equal(await store.openConflictFor(makeLink(1).crmId), undefined);
      await store.transaction((tx) => tx.closeAgreedConflict(conflict.id, 'crm', minutesAfterCreation(30)));
      assert.deepEqual(await store.getConflict(conflict.id), { ...conflict, resolution: 'partner-center', resolvedAt: minutesAfterCreation(20) });
    });

    it('keeps at most one open conflict per link', async () => {
      await store.putLink(makeLink(1));
      const first = await store.addConflict(conflictOn(1));
      await rejectsWithCode(() => store.addConflict(conflictOn(1)), 'store.conflict_open');
      await store.resolveConflict(first.id, 'crm', minutesAfterCreation(20));
      assert.ok((await store.addConflict(conflictOn(1))).id > first.id);
    });

    it("goes with its link: a deleted record's referral given to the record that replaces it (cosell link)", async () => {
      await store.putLink(makeLink(1));
      await store.putLink(makeLink(2));
      const settled = await store.addConflict(conflictOn(1));
      await store.resolveConflict(settled.id, 'crm', minutesAfterCreation(20));
      await store.addConflict(conflictOn(1));
      const other = await store.addConflict(conflictOn(2));
      await store.transaction(async (tx) => {
        await tx.deleteLink(makeLink(1).crmId);
        await tx.putLink(makeLink(3, { referralId: makeLink(1).referralId }));
      });
      assert.equal((await store.getLinkByReferralId(makeLink(1).referralId))?.crmId, makeLink(3).crmId);
      assert.equal(await store.openConflictFor(makeLink(1).crmId), undefined);
      assert.equal(await store.getConflict(settled.id), undefined);
      assert.deepEqual((await store.listConflicts({ includeResolved: true })).map((c) => c.id), [other.id]);
    });

    it('refuses a conflict for an unlinked record, and resolving one that is not open', async () => {
      await rejectsWithCode(() => store.addConflict(conflictOn(9)), 'store.link_missing');
      await rejectsWithCode(() => store.resolveConflict(12345, 'crm', minutesAfterCreation(20)), 'store.conflict_not_open');
      await store.putLink(makeLink(1));
      const conflict = await store.addConflict(conflictOn(1));
      await store.resolveConflict(conflict.id, 'crm', minutesAfterCreation(20));
      await rejectsWithCode(() => store.resolveConflict(conflict.id, 'partner-center', minutesAfterCreation(30)), 'store.conflict_not_open');
      assert.equal((await store.getConflict(conflict.id))?.resolution, 'crm');
    });
  });

  describe('cursors and runs', () => {
    it('keeps one cursor per side as JSON, replaced on each put', async () => {
      assert.equal(await store.getCursor('crm'), undefined);
      await store.putCursor('crm', { modstamp: '2026-01-05T09:00:00.000Z', id: '006A' });
      await store.putCursor('partner-center', { updatedAfter: '2026-01-04T00:00:00.000Z', complete: false, page: 3, seen: ['r1', 'r2'], next: null });
      await store.putCursor('crm', { modstamp: '2026-01-05T10:00:00.000Z', id: '006B' });
      assert.deepEqual(await store.getCursor('crm'), { modstamp: '2026-01-05T10:00:00.000Z', id: '006B' });
      assert.deepEqual(await store.getCursor('partner-center'), { updatedAfter: '2026-01-04T00:00:00.000Z', complete: false, page: 3, seen: ['r1', 'r2'], next: null });
    });

    it('records runs from start to finish and lists the newest first', async () => {
      const first = await store.startRun(minutesAfterCreation(1));
      assert.deepEqual(first, { id: first.id, startedAt: minutesAfterCreation(1), counts: {} });
      await store.finishRun(first.id, { finishedAt: minutesAfterCreation(2), outcome: 'partial', counts: { read: 10, parked: 2 }, message: 'two parked' });
      const second = await store.startRun(minutesAfterCreation(3));
      assert.ok(second.id > first.id);
      assert.deepEqual(await store.listRuns(10), [
        { id: second.id, startedAt: minutesAfterCreation(3), counts: {} },
        { id: first.id, startedAt: minutesAfterCreation(1), finishedAt: minutesAfterCreation(2), outcome: 'partial', counts: { read: 10, parked: 2 }, message: 'two parked' },
      ]);
      assert.deepEqual((await store.listRuns(1)).map((run) => run.id), [second.id]);
      await rejectsWithCode(() => store.finishRun(99999, { counts: {} }), 'store.run_not_found');
    });

    it('takes a run\'s start again at its finish when the engine\'s clock moved while it ran', async () => {
      const run = await store.startRun(minutesAfterCreation(1));
      await store.finishRun(run.id, { startedAt: minutesAfterCreation(600), finishedAt: minutesAfterCreation(601), outcome: 'ok', counts: {} });
      const [listed] = await store.listRuns(1);
      assert.equal(listed?.startedAt, minutesAfterCreation(600));
    });

    it('reports a schema version', async () => {
      assert.ok(await store.schemaVersion() >= 1);
    });
  });
}
