/**
 * The asynchronous store contract on SQLite: each test on fresh files (one per tenant, as a single
 * install has one file). SQLite has one connection per process (two would block the event loop on each
 * other's write lock), so the "second connection" is the same store: its transactions queue.
 */
import assert from 'node:assert/strict';
import { openAsyncSqliteStore } from '../../core/store/async-sqlite-store.js';
import { openSqliteStore } from '../../core/store/index.js';
import { asyncCoordinationContract } from './async-contract-coordination.js';
import { asyncLeadContract } from './async-contract-leads.js';
import { asyncPendingReferralContract } from './async-contract-pending-referrals.js';
import { asyncRecordContract } from './async-contract-records.js';
import { asyncRelatedRowContract } from './async-contract-related-rows.js';
import { asyncWorkerContract } from './async-contract-workers.js';
import type { OpenContractWorld } from './async-store-fixtures.js';
import { makeLink, makeTempDir } from './store-fixtures.js';

describe('asynchronous store contract: SQLite', () => {
  const temp = makeTempDir();
  after(() => temp.cleanup());
  const open: OpenContractWorld = async () => {
    const store = openAsyncSqliteStore(temp.file());
    const otherTenant = openAsyncSqliteStore(temp.file());
    return { store, secondConnection: store, otherTenant, cleanup: async () => void (await Promise.all([store.close(), otherTenant.close()])) };
  };

  asyncRecordContract(open);
  asyncCoordinationContract(open);
  asyncRelatedRowContract(open);
  asyncWorkerContract(open);
  asyncLeadContract(open);
  asyncPendingReferralContract(open);

  it('reads and writes the same file as the synchronous store, so a single install keeps its state', async () => {
    const file = temp.file();
    const sync = openSqliteStore(file);
    sync.putLink(makeLink(1));
    sync.close();
    const store = openAsyncSqliteStore(file);
    assert.deepEqual(await store.getLinkByCrmId(makeLink(1).crmId), makeLink(1));
    await store.transaction(async (tx) => tx.putLink(makeLink(2)));
    assert.equal(await store.schemaVersion(), openSqliteStore(':memory:').schemaVersion());
    await store.close();
    assert.deepEqual(openSqliteStore(file).getLinkByCrmId(makeLink(2).crmId), makeLink(2));
  });

  it("answers recentNotices with the notice log's newest notices (the dashboard's list)", async () => {
    const file = temp.file();
    const sync = openSqliteStore(file);
    for (const [cause, at] of [['a', '2026-03-01T00:00:00.000Z'], ['b', '2026-03-02T00:00:00.000Z'], ['c', '2026-03-03T00:00:00.000Z']] as const) {
      sync.notices.claim({ cause, kind: 'parked', notice: { cause }, createdAt: at, sendAfter: at });
    }
    sync.close();
    const store = openAsyncSqliteStore(file);
    assert.deepEqual((await store.recentNotices(2)).map((n) => [n.cause, n.notice]), [['c', { cause: 'c' }], ['b', { cause: 'b' }]]);
    await store.close();
  });
});
