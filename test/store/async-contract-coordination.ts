/**
 * The asynchronous store contract, part 2: the runner lock, runs, store facts and transactions, as in
 * behaviour-coordination.ts, awaited; and what only an asynchronous transaction can get wrong (a caught
 * store error inside it, a call on the store inside it, a `tx` kept after it). Run against every
 * `AsyncStateStore` implementation.
 */
import assert from 'node:assert/strict';
import type { AsyncStateStore, AsyncStoreTransaction } from '../../core/store/async-state-store.js';
import { RUNS_KEPT } from '../../core/store/state-store.js';
import { error } from '../../core/rules/violation.js';
import { outboundDeal } from '../helpers/referrals.js';
import { makeLink, minutesAfterCreation } from './store-fixtures.js';
import { rejectsWithCode, type OpenContractWorld } from './async-store-fixtures.js';

const STALE_MS = 60_000;
const T0 = Date.parse('2026-01-05T09:00:00.000Z');

export function asyncCoordinationContract(open: OpenContractWorld): void {
  let store: AsyncStateStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await open()));
  afterEach(() => cleanup());

  describe('runner lock', () => {
    it('goes to the first owner; a second owner is refused while the holder is live', async () => {
      assert.equal(await store.acquireLock('runner-a', T0, STALE_MS), true);
      assert.equal(await store.acquireLock('runner-b', T0 + 1_000, STALE_MS), false);
      assert.equal(await store.acquireLock('runner-a', T0 + 2_000, STALE_MS), true, 'the holder may take it again');
    });

    it('stays with a holder that keeps renewing, even past staleMs from when it was taken', async () => {
      await store.acquireLock('runner-a', T0, STALE_MS);
      await store.renewLock('runner-a', T0 + 50_000);
      await store.renewLock('runner-a', T0 + 100_000);
      assert.equal(await store.acquireLock('runner-b', T0 + 150_000, STALE_MS), false);
    });

    it('is taken over from a holder that stopped renewing for staleMs, which then learns it lost it', async () => {
      await store.acquireLock('runner-a', T0, STALE_MS);
      assert.equal(await store.acquireLock('runner-b', T0 + STALE_MS - 1, STALE_MS), false);
      assert.equal(await store.acquireLock('runner-b', T0 + STALE_MS, STALE_MS), true);
      await rejectsWithCode(() => store.renewLock('runner-a', T0 + STALE_MS + 1), 'store.lock_lost');
      assert.equal(await store.acquireLock('runner-a', T0 + STALE_MS + 2, STALE_MS), false);
    });

    it('is freed by its holder only', async () => {
      await store.acquireLock('runner-a', T0, STALE_MS);
      await store.releaseLock('runner-b');
      assert.equal(await store.acquireLock('runner-b', T0 + 1, STALE_MS), false);
      await store.releaseLock('runner-a');
      await store.releaseLock('runner-a');
      assert.equal(await store.acquireLock('runner-b', T0 + 2, STALE_MS), true);
      await rejectsWithCode(() => store.renewLock('runner-a', T0 + 3), 'store.lock_lost');
    });

    it('names its holder process and host, and keeps when it was first taken across renewals', async () => {
      await store.acquireLock('runner-a', T0, STALE_MS, { pid: 4242, host: 'host-1' });
      await store.renewLock('runner-a', T0 + 5_000);
      assert.deepEqual(await store.lockHolder(), { owner: 'runner-a', pid: 4242, host: 'host-1', acquiredMs: T0, heartbeatMs: T0 + 5_000 });
      await store.releaseLock('runner-a');
      assert.equal(await store.lockHolder(), undefined);
    });

    it('is broken only by someone who saw the current holder and heartbeat (compare-and-delete)', async () => {
      await store.acquireLock('runner-a', T0, STALE_MS, { pid: 1, host: 'h' });
      assert.equal(await store.breakLock('runner-a', T0 - 1), false, 'an older heartbeat: the holder renewed since');
      assert.equal(await store.breakLock('runner-b', T0), false, 'not the holder');
      assert.equal(await store.acquireLock('runner-b', T0 + 1, STALE_MS), false);
      assert.equal(await store.breakLock('runner-a', T0), true);
      assert.equal(await store.breakLock('runner-a', T0), false, 'a second breaker finds nothing to break');
      assert.equal(await store.acquireLock('runner-b', T0 + 2, STALE_MS), true);
    });
  });

  describe('run retention', () => {
    it('keeps the newest RUNS_KEPT runs: starting one forgets the oldest beyond them', async () => {
      const first = await store.startRun('2026-12-01T00:00:00.000Z');
      let last = first;
      for (let i = 1; i <= RUNS_KEPT; i += 1) last = await store.startRun(new Date(Date.parse('2026-12-01T00:00:00.000Z') + i * 1000).toISOString());
      const kept = await store.listRuns(RUNS_KEPT + 10);
      assert.equal(kept.length, RUNS_KEPT);
      assert.equal(kept[0]!.id, last.id, 'the newest first');
      assert.ok(!kept.some((r) => r.id === first.id), 'the oldest is gone');
    });
  });

  describe('unfinished runs', () => {
    it('marks runs that never finished as failed, and leaves finished ones alone', async () => {
      const done = await store.startRun(minutesAfterCreation(0));
      await store.finishRun(done.id, { finishedAt: minutesAfterCreation(1), outcome: 'ok', counts: {} });
      const killed = await store.startRun(minutesAfterCreation(2));
      assert.equal(await store.failUnfinishedRuns(minutesAfterCreation(3), 'interrupted'), 1);
      const runs = await store.listRuns(10);
      assert.equal(runs.find((r) => r.id === killed.id)?.outcome, 'failed');
      assert.equal(runs.find((r) => r.id === killed.id)?.message, 'interrupted');
      assert.equal(runs.find((r) => r.id === done.id)?.outcome, 'ok');
      assert.equal(await store.failUnfinishedRuns(minutesAfterCreation(4), 'interrupted'), 0);
    });
  });

  describe('store facts', () => {
    it('keeps, replaces and deletes a named JSON value, inside transactions too', async () => {
      assert.equal(await store.getMeta('rebuild'), undefined);
      await store.putMeta('rebuild', { at: minutesAfterCreation(1), links: 3 }, minutesAfterCreation(1));
      assert.deepEqual(await store.getMeta('rebuild'), { at: minutesAfterCreation(1), links: 3 });
      await assert.rejects(() =>
        store.transaction(async (tx) => {
          await tx.putMeta('rebuild', { links: 9 }, minutesAfterCreation(2));
          throw new Error('roll back');
        }),
      );
      assert.deepEqual(await store.getMeta('rebuild'), { at: minutesAfterCreation(1), links: 3 });
      await store.deleteMeta('rebuild');
      assert.equal(await store.getMeta('rebuild'), undefined);
    });
  });

  describe('transactions', () => {
    /** Something of every kind, so a rollback has updates and deletes to undo, not only inserts. */
    async function seed(): Promise<number> {
      await store.putLink(makeLink(1));
      await store.putIntent({ target: 'referral', sourceId: 'seed', createdAt: minutesAfterCreation(0), attempts: 1 });
      await store.park({ side: 'crm', recordId: 'seed', reasons: [], fingerprint: 'f0', parkedAt: minutesAfterCreation(0), attempts: 1 });
      await store.putCursor('crm', { modstamp: 'seed' });
      await store.acquireLock('runner-a', T0, STALE_MS);
      return (await store.startRun(minutesAfterCreation(0))).id;
    }

    async function snapshot(): Promise<unknown> {
      return {
        links: await store.listLinks({}),
        byReferral: (await store.getLinkByReferralId(makeLink(1).referralId))?.crmId,
        intents: await store.listIntents(),
        parked: await store.listParked(),
        conflicts: await store.listConflicts({ includeResolved: true }),
        cursors: [await store.getCursor('crm'), await store.getCursor('partner-center')],
        runs: await store.listRuns(100),
        lockHeldByA: await holdsLock('runner-a'),
      };
    }

    /** Renews at the seeded heartbeat, so asking changes nothing. */
    async function holdsLock(owner: string): Promise<boolean> {
      try {
        await store.renewLock(owner, T0);
        return true;
      } catch {
        return false;
      }
    }

    /** One page of work touching every table: inserts, updates and deletes. */
    async function changeEverything(tx: AsyncStoreTransaction): Promise<void> {
      await tx.putLink(makeLink(1, { referralId: 'relinked', base: outboundDeal({ dealName: 'changed' }) }));
      await tx.putLink(makeLink(2, { heldUntil: '2026-01-08T09:00:00.000Z' }));
      await tx.deleteIntent('referral', 'seed');
      await tx.putIntent({ target: 'crm', sourceId: 'new', createdAt: minutesAfterCreation(5), attempts: 1 });
      await tx.unpark('crm', 'seed');
      await tx.park({ side: 'partner-center', recordId: 'new', reasons: [error('create.team.required', 'team', 'x')], fingerprint: 'f', parkedAt: minutesAfterCreation(5), attempts: 1 });
      await tx.addConflict({ crmId: makeLink(2).crmId, referralId: makeLink(2).referralId, fields: ['value'], base: outboundDeal(), crm: outboundDeal(), partnerCenter: outboundDeal(), detectedAt: minutesAfterCreation(5) });
      await tx.putCursor('crm', { modstamp: 'changed' });
      await tx.putCursor('partner-center', { updatedAfter: 'changed' });
    }

    it('stores all of the work and returns its result', async () => {
      await seed();
      const result = await store.transaction(async (tx) => {
        await changeEverything(tx);
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal((await store.getLinkByReferralId('relinked'))?.base.dealName, 'changed');
      assert.equal(await store.getLinkByReferralId(makeLink(1).referralId), undefined);
      assert.equal((await store.dueHolds('2026-01-09T00:00:00.000Z')).length, 1);
      assert.deepEqual((await store.listIntents()).map((i) => i.sourceId), ['new']);
      assert.deepEqual((await store.listParked()).map((p) => p.recordId), ['new']);
      assert.equal((await store.listConflicts()).length, 1);
      assert.deepEqual(await store.getCursor('partner-center'), { updatedAfter: 'changed' });
    });

    it('leaves nothing behind when the work throws, and passes the error on', async () => {
      await seed();
      const before = await snapshot();
      const failure = new Error('CRM write failed mid-page');
      await assert.rejects(
        () =>
          store.transaction(async (tx) => {
            await changeEverything(tx);
            throw failure;
          }),
        (thrown: unknown) => thrown === failure,
      );
      assert.deepEqual(await snapshot(), before);
    });

    it('refuses a call on the store itself inside its transaction, and rolls the transaction back', async () => {
      await rejectsWithCode(
        () =>
          store.transaction(async (tx) => {
            await tx.putLink(makeLink(1));
            await store.putLink(makeLink(2));
          }),
        'store.nested_call',
      );
      await rejectsWithCode(() => store.transaction(() => store.transaction(async () => undefined)), 'store.nested_call');
      assert.deepEqual(await store.listLinks({}), []);
    });

    it('refuses a tx used after its transaction ended, so no write escapes the transaction', async () => {
      let kept: AsyncStoreTransaction | undefined;
      await store.transaction(async (tx) => {
        kept = tx;
        await tx.putLink(makeLink(1));
      });
      await rejectsWithCode(() => kept!.putLink(makeLink(2)), 'store.transaction_ended');
      assert.deepEqual((await store.listLinks({})).map((link) => link.crmId), [makeLink(1).crmId]);
    });

    it('carries on after a store error the work caught, and commits the rest of the page', async () => {
      await store.putLink(makeLink(1));
      const conflict = { crmId: makeLink(1).crmId, referralId: makeLink(1).referralId, fields: ['value'], base: outboundDeal(), crm: outboundDeal(), partnerCenter: outboundDeal(), detectedAt: minutesAfterCreation(5) };
      await store.addConflict(conflict);
      await store.transaction(async (tx) => {
        await rejectsWithCode(() => tx.putLink(makeLink(2, { referralId: makeLink(1).referralId })), 'store.link_conflict');
        await rejectsWithCode(() => tx.addConflict(conflict), 'store.conflict_open');
        await rejectsWithCode(() => tx.addConflict({ ...conflict, crmId: 'unlinked' }), 'store.link_missing');
        await tx.putLink(makeLink(3));
        await tx.putCursor('crm', { modstamp: 'after-refusals' });
      });
      assert.deepEqual((await store.listLinks({})).map((link) => link.crmId), [makeLink(3).crmId, makeLink(1).crmId]);
      assert.deepEqual(await store.getCursor('crm'), { modstamp: 'after-refusals' });
    });

    it('waits for a transaction that is still running before answering a call on the store', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const running = store.transaction(async (tx) => {
        await tx.putLink(makeLink(1));
        await gate;
        await tx.putCursor('crm', { modstamp: 'page-1' });
      });
      const read = store.getCursor('crm');
      release();
      await running;
      // SQLite answers after the transaction (one connection); PostgreSQL answers from what was committed
      // when the read ran, which is before or after the commit, never half of it.
      const cursor = await read;
      assert.ok(cursor === undefined || (cursor as { modstamp?: string }).modstamp === 'page-1');
      assert.deepEqual(await store.getCursor('crm'), { modstamp: 'page-1' });
    });

    it('rolls back a store error raised inside the transaction like any other', async () => {
      await store.putLink(makeLink(1));
      await rejectsWithCode(
        () =>
          store.transaction(async (tx) => {
            await tx.putLink(makeLink(2));
            await tx.putLink(makeLink(3, { referralId: makeLink(1).referralId }));
          }),
        'store.link_conflict',
      );
      assert.deepEqual((await store.listLinks({})).map((link) => link.crmId), [makeLink(1).crmId]);
    });
  });
}
