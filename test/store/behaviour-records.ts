/**
 * The shared behavioural suite, part 1: what each kind of record does. Run against every `StateStore`
 * implementation (`memory-store.test.ts`, `sqlite-store.test.ts`), so both keep the same semantics.
 */
import assert from 'node:assert/strict';
import type { StateStore } from '../../core/store/index.js';
import { needsAttention, pipelineDealOf, type PipelineDeal } from '../../core/store/state-store.js';
import { error } from '../../core/rules/violation.js';
import { outboundDeal } from '../helpers/referrals.js';
import { assertStoreError, attentionFixture, conflictOn, makeLink, minutesAfterCreation } from './store-fixtures.js';

export type OpenStore = () => StateStore;

export function recordBehaviour(open: OpenStore): void {
  let store: StateStore;
  beforeEach(() => (store = open()));
  afterEach(() => store.close());

  describe('links', () => {
    it('reads a link back by its CRM ID and by its referral ID, deep-equal to what was put', () => {
      const link = makeLink(1, { lastStatus: { state: 'synced', message: '' }, crmEtag: 'W/"42"', crmModifiedAt: minutesAfterCreation(1) });
      store.putLink(link);
      assert.deepEqual(store.getLinkByCrmId(link.crmId), link);
      assert.deepEqual(store.getLinkByReferralId(link.referralId), link);
      assert.equal(store.getLinkByCrmId('006-unknown'), undefined);
      assert.equal(store.getLinkByReferralId('unknown'), undefined);
    });

    it('reads the links, parked records and open conflicts of many records at once (recordsFor), by either ID', () => {
      const [a, b, c] = [makeLink(1), makeLink(2), makeLink(3)];
      for (const link of [a, b, c]) store.putLink(link);
      store.park({ side: 'crm', recordId: b.crmId, reasons: [], fingerprint: 'f', parkedAt: minutesAfterCreation(1), attempts: 1 });
      store.park({ side: 'partner-center', recordId: 'ref-unlinked', reasons: [], fingerprint: 'p', parkedAt: minutesAfterCreation(1), attempts: 1 });
      const open = store.addConflict({ crmId: a.crmId, referralId: a.referralId, fields: ['dealName'], base: a.base, crm: a.base, partnerCenter: a.base, detectedAt: minutesAfterCreation(2) });
      const found = store.recordsFor([a.crmId, b.referralId, 'ref-unlinked', 'nothing']);
      assert.deepEqual(found.links.map((l) => l.crmId).sort(), [a.crmId, b.crmId].sort());
      assert.deepEqual(found.links.find((l) => l.crmId === a.crmId), a);
      assert.deepEqual(found.parked.map((p) => `${p.side}:${p.recordId}`).sort(), [`partner-center:ref-unlinked`]);
      assert.deepEqual(found.openConflicts, [open]);
      assert.deepEqual(store.recordsFor([b.crmId]).parked.map((p) => p.recordId), [b.crmId]);
      assert.deepEqual(store.recordsFor([]), { links: [], parked: [], openConflicts: [] });
    });

    it('replaces a link by CRM ID, dropping optional fields the new version leaves out', () => {
      store.putLink(makeLink(1, { heldUntil: '2026-01-08T09:00:00.000Z' }));
      const { pcEtag: _dropped, ...updated } = makeLink(1, { state: 'crm-deleted', base: outboundDeal({ dealName: 'Renamed' }) });
      store.putLink(updated);
      const read = store.getLinkByCrmId(updated.crmId);
      assert.deepEqual(read, updated);
      assert.equal(read?.heldUntil, undefined);
      assert.equal(read?.base.dealName, 'Renamed');
    });

    it('re-linking a CRM record to another referral frees the old referral ID', () => {
      store.putLink(makeLink(1));
      store.putLink(makeLink(1, { referralId: 'new-referral' }));
      assert.equal(store.getLinkByReferralId(makeLink(1).referralId), undefined);
      assert.equal(store.getLinkByReferralId('new-referral')?.crmId, makeLink(1).crmId);
    });

    it('deletes a link, so that its referral can go to another CRM record in the same transaction', () => {
      store.putLink(makeLink(1));
      store.putLink(makeLink(2));
      store.transaction((tx) => {
        tx.deleteLink(makeLink(1).crmId);
        tx.putLink(makeLink(3, { referralId: makeLink(1).referralId }));
      });
      assert.equal(store.getLinkByCrmId(makeLink(1).crmId), undefined);
      assert.equal(store.getLinkByReferralId(makeLink(1).referralId)?.crmId, makeLink(3).crmId);
      assert.deepEqual(store.getLinkByCrmId(makeLink(2).crmId), makeLink(2));
    });

    it('refuses to link a referral that is already linked to another CRM record, changing nothing', () => {
      store.putLink(makeLink(1));
      store.putLink(makeLink(2));
      assertStoreError(() => store.putLink(makeLink(3, { referralId: makeLink(1).referralId })), 'store.link_conflict');
      assertStoreError(() => store.putLink(makeLink(2, { referralId: makeLink(1).referralId })), 'store.link_conflict');
      assert.equal(store.getLinkByCrmId(makeLink(3).crmId), undefined);
      assert.deepEqual(store.getLinkByCrmId(makeLink(2).crmId), makeLink(2));
      assert.equal(store.getLinkByReferralId(makeLink(1).referralId)?.crmId, makeLink(1).crmId);
    });

    it('hands out copies: changing a returned link does not change the store', () => {
      store.putLink(makeLink(1));
      const read = store.getLinkByCrmId(makeLink(1).crmId);
      assert.ok(read);
      read.base.dealName = 'mutated';
      read.base.team.length = 0;
      assert.deepEqual(store.getLinkByCrmId(makeLink(1).crmId), makeLink(1));
    });

    it('stores a hold in canonical ISO form and refuses one that is not an instant', () => {
      store.putLink(makeLink(1, { heldUntil: '2026-01-08T09:00:00Z' }));
      assert.equal(store.getLinkByCrmId(makeLink(1).crmId)?.heldUntil, '2026-01-08T09:00:00.000Z');
      assertStoreError(() => store.putLink(makeLink(2, { heldUntil: 'next tuesday' })), 'store.invalid_instant');
    });

    it('lists links newest first, by state and in pages, and counts every state', () => {
      for (const n of [1, 2, 3, 4]) store.putLink(makeLink(n, { state: n % 2 === 0 ? 'crm-deleted' : 'active' }));
      const ids = (links: { crmId: string }[]) => links.map((link) => link.crmId);
      assert.deepEqual(ids(store.listLinks({})), [4, 3, 2, 1].map((n) => makeLink(n).crmId));
      assert.deepEqual(ids(store.listLinks({ state: 'active' })), [3, 1].map((n) => makeLink(n).crmId));
      assert.deepEqual(ids(store.listLinks({ limit: 2, offset: 1 })), [3, 2].map((n) => makeLink(n).crmId));
      assert.deepEqual(store.countLinks(), { active: 2, 'crm-deleted': 2, 'referral-missing': 0 });
    });

    it('lists the active links that may need a person (waiting inbound, registration follow-up), newest first, and the pipeline fields of every active link', () => {
      const { links, attention, active } = attentionFixture();
      for (const link of links) store.putLink(link);
      assert.deepEqual(store.attentionLinks().map((l) => l.crmId), attention);
      assert.deepEqual(store.attentionLinks(), store.listLinks({ state: 'active' }).filter(needsAttention), 'the query says what needsAttention says');
      const byValue = (deals: PipelineDeal[]) => [...deals].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      assert.deepEqual(byValue(store.pipelineDeals()), byValue(active.map((l) => pipelineDealOf(l.base))));
    });

    it('finds due holds (ending at or before now) in the order they end, ignoring links without a hold', () => {
      store.putLink(makeLink(1, { heldUntil: '2026-01-08T12:00:00.000Z' }));
      store.putLink(makeLink(2, { heldUntil: '2026-01-08T09:00:00.000Z' }));
      store.putLink(makeLink(3, { heldUntil: '2026-01-09T00:00:00.000Z' }));
      store.putLink(makeLink(4));
      store.putLink(makeLink(5, { heldUntil: '2026-01-08T09:00:00.000Z' }));
      const due = (now: string) => store.dueHolds(now).map((link) => link.crmId);
      assert.deepEqual(due('2026-01-08T08:59:59.999Z'), []);
      assert.deepEqual(due('2026-01-08T12:00:00Z'), [2, 5, 1].map((n) => makeLink(n).crmId));
      assert.deepEqual(due('2026-02-01T00:00:00.000Z'), [2, 5, 1, 3].map((n) => makeLink(n).crmId));
    });
  });

  describe('create intents', () => {
    it('records, updates, lists and deletes intents by target and source ID', () => {
      assert.equal(store.getIntent('referral', 'a'), undefined);
      store.putIntent({ target: 'referral', sourceId: 'b', createdAt: minutesAfterCreation(2), attempts: 1 });
      store.putIntent({ target: 'crm', sourceId: 'b', createdAt: minutesAfterCreation(1), attempts: 1 });
      store.putIntent({ target: 'referral', sourceId: 'b', createdAt: minutesAfterCreation(2), attempts: 2 });
      assert.deepEqual(store.getIntent('referral', 'b'), { target: 'referral', sourceId: 'b', createdAt: minutesAfterCreation(2), attempts: 2 });
      assert.deepEqual(store.listIntents().map((i) => `${i.target}:${i.sourceId}:${i.attempts}`), ['crm:b:1', 'referral:b:2']);
      store.deleteIntent('referral', 'b');
      store.deleteIntent('referral', 'never-there');
      assert.equal(store.getIntent('referral', 'b'), undefined);
      assert.equal(store.listIntents().length, 1);
    });
  });

  describe('parked records', () => {
    const reasons = [error('create.team.required', 'team', 'Add at least one team member.')];

    it('parks, re-parks and unparks a record per side, keeping its reasons', () => {
      store.park({ side: 'crm', recordId: 'x', reasons, fingerprint: 'f1', parkedAt: minutesAfterCreation(1), attempts: 1 });
      store.park({ side: 'partner-center', recordId: 'x', reasons: [], fingerprint: 'p1', parkedAt: minutesAfterCreation(2), attempts: 1 });
      store.park({ side: 'crm', recordId: 'x', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(3), attempts: 2 });
      assert.deepEqual(store.getParked('crm', 'x'), { side: 'crm', recordId: 'x', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(3), attempts: 2 });
      assert.equal(store.countParked(), 2);
      store.unpark('crm', 'x');
      assert.equal(store.getParked('crm', 'x'), undefined);
      assert.equal(store.getParked('partner-center', 'x')?.fingerprint, 'p1');
      assert.equal(store.countParked(), 1);
    });

    it("keeps a parked record's deal name, and drops it when a re-park leaves it out", () => {
      store.park({ side: 'partner-center', recordId: 'n', name: 'Contoso expansion', reasons, fingerprint: 'f1', parkedAt: minutesAfterCreation(1), attempts: 1 });
      assert.equal(store.getParked('partner-center', 'n')?.name, 'Contoso expansion');
      assert.equal(store.listParked()[0]?.name, 'Contoso expansion');
      store.park({ side: 'partner-center', recordId: 'n', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(2), attempts: 2 });
      assert.equal('name' in store.getParked('partner-center', 'n')!, false);
    });

    it("keeps a parked record's team, so that a deal without a link can still tell its sellers", () => {
      store.park({ side: 'crm', recordId: 't', team: ['sam@contoso.example', 'ana@contoso.example'], reasons, fingerprint: 'f1', parkedAt: minutesAfterCreation(1), attempts: 1 });
      assert.deepEqual(store.getParked('crm', 't')?.team, ['sam@contoso.example', 'ana@contoso.example']);
      assert.deepEqual(store.listParked({ side: 'crm' })[0]?.team, ['sam@contoso.example', 'ana@contoso.example']);
      store.park({ side: 'crm', recordId: 't', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(2), attempts: 2 });
      assert.equal('team' in store.getParked('crm', 't')!, false);
    });

    it("keeps a parked CRM record's version, so that a listing of that version does not read it back", () => {
      store.park({ side: 'crm', recordId: 'v', reasons, fingerprint: 'f1', parkedAt: minutesAfterCreation(1), attempts: 1, crmEtag: 'W/"101"' });
      assert.equal(store.getParked('crm', 'v')?.crmEtag, 'W/"101"');
      assert.equal(store.listParked({ side: 'crm' })[0]?.crmEtag, 'W/"101"');
      store.park({ side: 'crm', recordId: 'v', reasons, fingerprint: 'f2', parkedAt: minutesAfterCreation(2), attempts: 2 });
      assert.equal('crmEtag' in store.getParked('crm', 'v')!, false);
    });

    it('lists records due for a retry by their retry time, and never those without one', () => {
      store.park({ side: 'crm', recordId: 'later', reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(1), attempts: 1, retryAt: minutesAfterCreation(30) });
      store.park({ side: 'partner-center', recordId: 'soon', reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(2), attempts: 2, retryAt: minutesAfterCreation(10) });
      store.park({ side: 'crm', recordId: 'on-change', reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(3), attempts: 1 });
      assert.deepEqual(store.dueParked(minutesAfterCreation(5)), []);
      assert.deepEqual(store.dueParked(minutesAfterCreation(10)).map((p) => p.recordId), ['soon']);
      assert.deepEqual(store.dueParked(minutesAfterCreation(60)).map((p) => p.recordId), ['soon', 'later']);
      assert.deepEqual(store.dueParked(minutesAfterCreation(60), 1).map((p) => p.recordId), ['soon']);
      assert.equal(store.getParked('partner-center', 'soon')?.retryAt, minutesAfterCreation(10));
    });

    it('lists parked records newest first, by side and up to a limit', () => {
      for (const n of [1, 2, 3]) store.park({ side: n === 2 ? 'partner-center' : 'crm', recordId: `r${n}`, reasons, fingerprint: 'f', parkedAt: minutesAfterCreation(n), attempts: 1 });
      assert.deepEqual(store.listParked().map((p) => p.recordId), ['r3', 'r2', 'r1']);
      assert.deepEqual(store.listParked({ side: 'crm' }).map((p) => p.recordId), ['r3', 'r1']);
      assert.deepEqual(store.listParked({ limit: 1 }).map((p) => p.recordId), ['r3']);
    });
  });

  describe('conflicts', () => {
    it('opens conflicts with increasing IDs and moves them to resolved', () => {
      store.putLink(makeLink(1));
      store.putLink(makeLink(2));
      const first = store.addConflict(conflictOn(1));
      const second = store.addConflict(conflictOn(2));
      assert.ok(second.id > first.id);
      assert.deepEqual(first, { ...conflictOn(1), id: first.id });
      assert.deepEqual(store.getConflict(first.id), first);
      assert.deepEqual(store.openConflictFor(makeLink(2).crmId), second);
      store.resolveConflict(first.id, 'partner-center', minutesAfterCreation(20));
      assert.deepEqual(store.listConflicts().map((c) => c.id), [second.id]);
      assert.equal(store.openConflictFor(makeLink(1).crmId), undefined);
      assert.deepEqual(store.listConflicts({ includeResolved: true }).map((c) => c.id), [first.id, second.id]);
      assert.deepEqual(store.getConflict(first.id), { ...first, resolution: 'partner-center', resolvedAt: minutesAfterCreation(20) });
    });

    it('refreshes an open conflict\'s two sides, and leaves a settled one as it was settled', () => {
      store.putLink(makeLink(1));
      const conflict = store.addConflict(conflictOn(1));
      const now = { crm: { ...conflict.crm, notes: 'edited again in the CRM' }, partnerCenter: { ...conflict.partnerCenter, notes: 'edited again in Partner Center' } };
      store.refreshConflict(conflict.id, now);
      assert.deepEqual(store.getConflict(conflict.id), { ...conflict, ...now }, 'fields, base and detection time kept');
      store.resolveConflict(conflict.id, 'crm', minutesAfterCreation(20));
      store.refreshConflict(conflict.id, { crm: conflict.crm, partnerCenter: conflict.partnerCenter });
      assert.deepEqual(store.getConflict(conflict.id)?.crm, now.crm);
    });

    it('keeps at most one open conflict per link', () => {
      store.putLink(makeLink(1));
      const first = store.addConflict(conflictOn(1));
      assertStoreError(() => store.addConflict(conflictOn(1)), 'store.conflict_open');
      store.resolveConflict(first.id, 'crm', minutesAfterCreation(20));
      assert.ok(store.addConflict(conflictOn(1)).id > first.id);
    });

    it("goes with its link: a deleted record's referral given to the record that replaces it (cosell link)", () => {
      store.putLink(makeLink(1));
      store.putLink(makeLink(2));
      const settled = store.addConflict(conflictOn(1));
      store.resolveConflict(settled.id, 'crm', minutesAfterCreation(20));
      store.addConflict(conflictOn(1));
      const other = store.addConflict(conflictOn(2));
      store.transaction((tx) => {
        tx.deleteLink(makeLink(1).crmId);
        tx.putLink(makeLink(3, { referralId: makeLink(1).referralId }));
      });
      assert.equal(store.getLinkByReferralId(makeLink(1).referralId)?.crmId, makeLink(3).crmId);
      assert.equal(store.openConflictFor(makeLink(1).crmId), undefined);
      assert.equal(store.getConflict(settled.id), undefined);
      assert.deepEqual(store.listConflicts({ includeResolved: true }).map((c) => c.id), [other.id]);
    });

    it('refuses a conflict for an unlinked record, and resolving one that is not open', () => {
      assertStoreError(() => store.addConflict(conflictOn(9)), 'store.link_missing');
      assertStoreError(() => store.resolveConflict(12345, 'crm', minutesAfterCreation(20)), 'store.conflict_not_open');
      store.putLink(makeLink(1));
      const conflict = store.addConflict(conflictOn(1));
      store.resolveConflict(conflict.id, 'crm', minutesAfterCreation(20));
      assertStoreError(() => store.resolveConflict(conflict.id, 'partner-center', minutesAfterCreation(30)), 'store.conflict_not_open');
      assert.equal(store.getConflict(conflict.id)?.resolution, 'crm');
    });
  });

  describe('cursors and runs', () => {
    it('keeps one cursor per side as JSON, replaced on each put', () => {
      assert.equal(store.getCursor('crm'), undefined);
      store.putCursor('crm', { modstamp: '2026-01-05T09:00:00.000Z', id: '006A' });
      store.putCursor('partner-center', { updatedAfter: '2026-01-04T00:00:00.000Z', complete: false, page: 3, seen: ['r1', 'r2'], next: null });
      store.putCursor('crm', { modstamp: '2026-01-05T10:00:00.000Z', id: '006B' });
      assert.deepEqual(store.getCursor('crm'), { modstamp: '2026-01-05T10:00:00.000Z', id: '006B' });
      assert.deepEqual(store.getCursor('partner-center'), { updatedAfter: '2026-01-04T00:00:00.000Z', complete: false, page: 3, seen: ['r1', 'r2'], next: null });
    });

    it('records runs from start to finish and lists the newest first', () => {
      const first = store.startRun(minutesAfterCreation(1));
      assert.deepEqual(first, { id: first.id, startedAt: minutesAfterCreation(1), counts: {} });
      store.finishRun(first.id, { finishedAt: minutesAfterCreation(2), outcome: 'partial', counts: { read: 10, parked: 2 }, message: 'two parked' });
      const second = store.startRun(minutesAfterCreation(3));
      assert.ok(second.id > first.id);
      assert.deepEqual(store.listRuns(10), [
        { id: second.id, startedAt: minutesAfterCreation(3), counts: {} },
        { id: first.id, startedAt: minutesAfterCreation(1), finishedAt: minutesAfterCreation(2), outcome: 'partial', counts: { read: 10, parked: 2 }, message: 'two parked' },
      ]);
      assert.deepEqual(store.listRuns(1).map((run) => run.id), [second.id]);
      assertStoreError(() => store.finishRun(99999, { counts: {} }), 'store.run_not_found');
    });

    it('takes a run\'s start again at its finish when the engine\'s clock moved while it ran', () => {
      const run = store.startRun(minutesAfterCreation(1));
      store.finishRun(run.id, { startedAt: minutesAfterCreation(600), finishedAt: minutesAfterCreation(601), outcome: 'ok', counts: {} });
      assert.equal(store.listRuns(1)[0]?.startedAt, minutesAfterCreation(600));
    });

    it('reports a schema version', () => {
      assert.ok(store.schemaVersion() >= 1);
    });
  });
}
