/**
 * The asynchronous store contract, part 6: the referrals `cosell serve` was told about by webhook and has
 * not synced yet (pending-referrals.ts), one row each, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import type { AsyncStateStore } from '../../core/store/async-state-store.js';
import type { OpenContractWorld } from './async-store-fixtures.js';

const AT = '2026-12-06T08:00:00.000Z';

export function asyncPendingReferralContract(open: OpenContractWorld): void {
  let store: AsyncStateStore;
  let otherTenant: AsyncStateStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, otherTenant, cleanup } = await open()));
  afterEach(() => cleanup());

  describe('referrals waiting for a targeted sync', () => {
    it('keeps one row per referral, replaced in place, listed oldest event first, a failure read back whole', async () => {
      const rows = store.pendingReferrals;
      await rows.put({ referralId: 'ref-b', receivedMs: 1_765_000_002_000, events: 1 }, AT);
      await rows.put({ referralId: 'ref-a', receivedMs: 1_765_000_001_000, events: 1 }, AT);
      await rows.put({ referralId: 'ref-a', receivedMs: 1_765_000_001_000, events: 3 }, AT);
      const failure = { reason: 'Partner Center answered 503', attempts: 2, retryAtMs: 1_765_000_040_000 };
      await rows.put({ referralId: 'ref-c', receivedMs: 1_765_000_002_000, events: 1, failure }, AT);
      assert.deepEqual(await rows.list(), [
        { referralId: 'ref-a', receivedMs: 1_765_000_001_000, events: 3 },
        { referralId: 'ref-b', receivedMs: 1_765_000_002_000, events: 1 },
        { referralId: 'ref-c', receivedMs: 1_765_000_002_000, events: 1, failure },
      ]);
      await rows.put({ referralId: 'ref-c', receivedMs: 1_765_000_002_000, events: 2 }, AT);
      assert.equal((await rows.list()).find((p) => p.referralId === 'ref-c')?.failure, undefined, 'a new event clears the failure');
      assert.deepEqual(await otherTenant.pendingReferrals.list(), [], "another tenant's queue is its own");
    });

    it('removes the referrals named, and nothing else', async () => {
      const rows = store.pendingReferrals;
      for (const id of ['ref-1', 'ref-2', 'ref-3']) await rows.put({ referralId: id, receivedMs: 1_765_000_000_000, events: 1 }, AT);
      await otherTenant.pendingReferrals.put({ referralId: 'ref-1', receivedMs: 1_765_000_000_000, events: 1 }, AT);
      await rows.remove(['ref-1', 'ref-3', 'not-waiting']);
      await rows.remove([]);
      assert.deepEqual((await rows.list()).map((p) => p.referralId), ['ref-2']);
      assert.deepEqual((await otherTenant.pendingReferrals.list()).map((p) => p.referralId), ['ref-1']);
    });
  });
}
