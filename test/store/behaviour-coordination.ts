/**
 * The shared behavioural suite, part 2: the runner lock and transactions. Run against every `StateStore`
 * implementation.
 */
import assert from 'node:assert/strict';
import type { StateStore, StoreTransaction } from '../../core/store/index.js';
import { RUNS_KEPT } from '../../core/store/state-store.js';
import { error } from '../../core/rules/violation.js';
import { outboundDeal } from '../helpers/referrals.js';
import type { OpenStore } from './behaviour-records.js';
import { assertStoreError, makeLink, minutesAfterCreation } from './store-fixtures.js';

const STALE_MS = 60_000;
const T0 = Date.parse('2026-01-05T09:00:00.000Z');

export function coordinationBehaviour(open: OpenStore): void {
  let store: StateStore;
  beforeEach(() => (store = open()));
  afterEach(() => store.close());

  describe('runner lock', () => {
    it('goes to the first owner; a second owner is refused while the holder is live', () => {
      assert.equal(store.acquireLock('runner-a', T0, STALE_MS), true);
      assert.equal(store.acquireLock('runner-b', T0 + 1_000, STALE_MS), false);
      assert.equal(store.acquireLock('runner-a', T0 + 2_000, STALE_MS), true, 'the holder may take it again');
    });

    it('stays with a holder that keeps renewing, even past staleMs from when it was taken', () => {
      store.acquireLock('runner-a', T0, STALE_MS);
      store.renewLock('runner-a', T0 + 50_000);
      store.renewLock('runner-a', T0 + 100_000);
      assert.equal(store.acquireLock('runner-b', T0 + 150_000, STALE_MS), false);
    });

    it('is taken over from a holder that stopped renewing for staleMs, which then learns it lost it', () => {
      store.acquireLock('runner-a', T0, STALE_MS);
      assert.equal(store.acquireLock('runner-b', T0 + STALE_MS - 1, STALE_MS), false);
      assert.equal(store.acquireLock('runner-b', T0 + STALE_MS, STALE_MS), true);
      assertStoreError(() => store.renewLock('runner-a', T0 + STALE_MS + 1), 'store.lock_lost');
      assert.equal(store.acquireLock('runner-a', T0 + STALE_MS + 2, STALE_MS), false);
    });

    it('is freed by its holder only', () => {
      store.acquireLock('runner-a', T0, STALE_MS);
      store.releaseLock('runner-b');
      assert.equal(store.acquireLock('runner-b', T0 + 1, STALE_MS), false);
      store.releaseLock('runner-a');
      store.releaseLock('runner-a');
      assert.equal(store.acquireLock('runner-b', T0 + 2, STALE_MS), true);
      assertStoreError(() => store.renewLock('runner-a', T0 + 3), 'store.lock_lost');
    });

    it('names its holder process and host, and keeps when it was first taken across renewals', () => {
      store.acquireLock('runner-a', T0, STALE_MS, { pid: 4242, host: 'host-1' });
      store.renewLock('runner-a', T0 + 5_000);
      assert.deepEqual(store.lockHolder(), { owner: 'runner-a', pid: 4242, host: 'host-1', acquiredMs: T0, heartbeatMs: T0 + 5_000 });
      store.releaseLock('runner-a');
      assert.equal(store.lockHolder(), undefined);
    });

    it('is broken only by someone who saw the current holder and heartbeat (compare-and-delete)', () => {
      store.acquireLock('runner-a', T0, STALE_MS, { pid: 1, host: 'h' });
      assert.equal(store.breakLock('runner-a', T0 - 1), false, 'an older heartbeat: the holder renewed since');
      assert.equal(store.breakLock('runner-b', T0), false, 'not the holder');
      assert.equal(store.acquireLock('runner-b', T0 + 1, STALE_MS), false);
      assert.equal(store.breakLock('runner-a', T0), true);
      assert.equal(store.breakLock('runner-a', T0), false, 'a second breaker finds nothing to break');
      assert.equal(store.acquireLock('runner-b', T0 + 2, STALE_MS), true);
    });
  });

  describe('run retention', () => {
    it('keeps the newest RUNS_KEPT runs: starting one forgets the oldest beyond them', () => {
      const first = store.startRun('2026-12-01T00:00:00.000Z');
      let last = first;
      for (let i = 1; i <= RUNS_KEPT; i += 1) last = store.startRun(new Date(Date.parse('2026-12-01T00:00:00.000Z') + i * 1000).toISOString());
      const kept = store.listRuns(RUNS_KEPT + 10);
      assert.equal(kept.length, RUNS_KEPT);
      assert.equal(kept[0]!.id, last.id, 'the newest first');
      assert.ok(!kept.some((r) => r.id === first.id), 'the oldest is gone');
    });
  });

  describe('unfinished runs', () => {
    it('marks runs that never finished as failed, and leaves finished ones alone', () => {
      const done = store.startRun(minutesAfterCreation(0));
      store.finishRun(done.id, { finishedAt: minutesAfterCreation(1), outcome: 'ok', counts: {} });
      const killed = store.startRun(minutesAfterCreation(2));
      assert.equal(store.failUnfinishedRuns(minutesAfterCreation(3), 'interrupted'), 1);
      const runs = store.listRuns(10);
      assert.equal(runs.find((r) => r.id === killed.id)?.outcome, 'failed');
      assert.equal(runs.find((r) => r.id === killed.id)?.message, 'interrupted');
      assert.equal(runs.find((r) => r.id === done.id)?.outcome, 'ok');
      assert.equal(store.failUnfinishedRuns(minutesAfterCreation(4), 'interrupted'), 0);
    });
  });

  describe('store facts', () => {
    it('keeps, replaces and deletes a named JSON value, inside transactions too', () => {
      assert.equal(store.getMeta('rebuild'), undefined);
      store.putMeta('rebuild', { at: minutesAfterCreation(1), links: 3 }, minutesAfterCreation(1));
      assert.deepEqual(store.getMeta('rebuild'), { at: minutesAfterCreation(1), links: 3 });
      assert.throws(() =>
        store.transaction((tx) => {
          tx.putMeta('rebuild', { links: 9 }, minutesAfterCreation(2));
          throw new Error('roll back');
        }),
      );
      assert.deepEqual(store.getMeta('rebuild'), { at: minutesAfterCreation(1), links: 3 });
      store.deleteMeta('rebuild');
      assert.equal(store.getMeta('rebuild'), undefined);
    });
  });

  describe('transactions', () => {
    /** Something of every kind, so a rollback has updates and deletes to undo, not only inserts. */
    function seed(): number {
      store.putLink(makeLink(1));
      store.putIntent({ target: 'referral', sourceId: 'seed', createdAt: minutesAfterCreation(0), attempts: 1 });
      store.park({ side: 'crm', recordId: 'seed', reasons: [], fingerprint: 'f0', parkedAt: minutesAfterCreation(0), attempts: 1 });
      store.putCursor('crm', { modstamp: 'seed' });
      store.acquireLock('runner-a', T0, STALE_MS);
      return store.startRun(minutesAfterCreation(0)).id;
    }

    function snapshot(): unknown {
      return {
        links: store.listLinks({}),
        byReferral: store.getLinkByReferralId(makeLink(1).referralId)?.crmId,
        intents: store.listIntents(),
        parked: store.listParked(),
        conflicts: store.listConflicts({ includeResolved: true }),
        cursors: [store.getCursor('crm'), store.getCursor('partner-center')],
        runs: store.listRuns(100),
        lockHeldByA: holdsLock('runner-a'),
      };
    }

    /** Renews at the seeded heartbeat, so asking changes nothing. */
    function holdsLock(owner: string): boolean {
      try {
        store.renewLock(owner, T0);
        return true;
      } catch {
        return false;
      }
    }

    /** One page of work touching every table: inserts, updates and deletes. */
    function changeEverything(tx: StoreTransaction): void {
      tx.putLink(makeLink(1, { referralId: 'relinked', base: outboundDeal({ dealName: 'changed' }) }));
      tx.putLink(makeLink(2, { heldUntil: '2026-01-08T09:00:00.000Z' }));
      tx.deleteIntent('referral', 'seed');
      tx.putIntent({ target: 'crm', sourceId: 'new', createdAt: minutesAfterCreation(5), attempts: 1 });
      tx.unpark('crm', 'seed');
      tx.park({ side: 'partner-center', recordId: 'new', reasons: [error('create.team.required', 'team', 'x')], fingerprint: 'f', parkedAt: minutesAfterCreation(5), attempts: 1 });
      tx.addConflict({ crmId: makeLink(2).crmId, referralId: makeLink(2).referralId, fields: ['value'], base: outboundDeal(), crm: outboundDeal(), partnerCenter: outboundDeal(), detectedAt: minutesAfterCreation(5) });
      tx.putCursor('crm', { modstamp: 'changed' });
      tx.putCursor('partner-center', { updatedAfter: 'changed' });
    }

    it('stores all of the work and returns its result', () => {
      seed();
      const result = store.transaction((tx) => {
        changeEverything(tx);
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal(store.getLinkByReferralId('relinked')?.base.dealName, 'changed');
      assert.equal(store.getLinkByReferralId(makeLink(1).referralId), undefined);
      assert.equal(store.dueHolds('2026-01-09T00:00:00.000Z').length, 1);
      assert.deepEqual(store.listIntents().map((i) => i.sourceId), ['new']);
      assert.deepEqual(store.listParked().map((p) => p.recordId), ['new']);
      assert.equal(store.listConflicts().length, 1);
      assert.deepEqual(store.getCursor('partner-center'), { updatedAfter: 'changed' });
    });

    it('leaves nothing behind when the work throws, and passes the error on', () => {
      const runId = seed();
      const before = snapshot();
      const failure = new Error('CRM write failed mid-page');
      assert.throws(
        () =>
          store.transaction((tx) => {
            changeEverything(tx);
            store.startRun(minutesAfterCreation(6));
            store.finishRun(runId, { counts: { read: 1 }, outcome: 'ok' });
            store.releaseLock('runner-a');
            store.acquireLock('runner-b', T0, STALE_MS);
            throw failure;
          }),
        (thrown: unknown) => thrown === failure,
      );
      assert.deepEqual(snapshot(), before);
    });

    it('rolls back a nested transaction alone when the outer one catches its error', () => {
      store.transaction((tx) => {
        tx.putLink(makeLink(1));
        assert.throws(() =>
          store.transaction((inner) => {
            inner.putLink(makeLink(2));
            inner.putCursor('crm', { modstamp: 'inner' });
            throw new Error('inner page failed');
          }),
        );
        tx.putIntent({ target: 'crm', sourceId: 'after-inner', createdAt: minutesAfterCreation(1), attempts: 1 });
      });
      assert.deepEqual(store.listLinks({}).map((link) => link.crmId), [makeLink(1).crmId]);
      assert.equal(store.getCursor('crm'), undefined);
      assert.equal(store.listIntents().length, 1);
    });

    it('refuses async work and rolls back what it wrote before its first await', async () => {
      let pending: Promise<void> | undefined;
      assertStoreError(
        () =>
          store.transaction((tx) => {
            tx.putLink(makeLink(1));
            pending = Promise.resolve();
            return pending;
          }),
        'store.async_transaction',
      );
      await pending;
      assert.equal(store.getLinkByCrmId(makeLink(1).crmId), undefined);
    });

    it('rolls back a store error raised inside the transaction like any other', () => {
      store.putLink(makeLink(1));
      assertStoreError(
        () =>
          store.transaction((tx) => {
            tx.putLink(makeLink(2));
            tx.putLink(makeLink(3, { referralId: makeLink(1).referralId }));
          }),
        'store.link_conflict',
      );
      assert.deepEqual(store.listLinks({}).map((link) => link.crmId), [makeLink(1).crmId]);
    });
  });
}
