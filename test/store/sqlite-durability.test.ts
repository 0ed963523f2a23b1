/**
 * What the SQLite file guarantees beyond one connection: data survives close and reopen, other
 * connections (other processes) see whole transactions or nothing, the runner lock holds across
 * connections, a dry-run snapshot never writes back, and a process killed mid-transaction leaves the last
 * committed page intact.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteSnapshot, openSqliteStore } from '../../core/store/index.js';
import { error } from '../../core/rules/violation.js';
import { outboundDeal } from '../helpers/referrals.js';
import { makeLink, makeTempDir, minutesAfterCreation } from './store-fixtures.js';
import { StateStoreError } from '../../core/store/store-problems.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const T0 = Date.parse('2026-01-05T09:00:00.000Z');

describe('SQLite state store: durability and concurrency', () => {
  const temp = makeTempDir();
  after(() => temp.cleanup());

  it('keeps every kind of record across close and reopen', () => {
    const file = temp.file();
    const writer = openSqliteStore(file);
    const link = makeLink(1, { heldUntil: '2026-01-08T09:00:00.000Z', lastStatus: { state: 'held', message: 'held', heldUntil: '2026-01-08T09:00:00.000Z' } });
    writer.transaction((tx) => {
      tx.putLink(link);
      tx.putIntent({ target: 'crm', sourceId: 'ref-9', createdAt: minutesAfterCreation(1), attempts: 2 });
      tx.park({ side: 'partner-center', recordId: 'ref-8', reasons: [error('create.team.required', 'team', 'Add one.')], fingerprint: 'f', parkedAt: minutesAfterCreation(2), attempts: 1 });
      tx.addConflict({ crmId: link.crmId, referralId: link.referralId, fields: ['value'], base: outboundDeal(), crm: outboundDeal({ value: 1 }), partnerCenter: outboundDeal({ value: 2 }), detectedAt: minutesAfterCreation(3) });
      tx.putCursor('crm', { modstamp: minutesAfterCreation(4), id: link.crmId });
    });
    const run = writer.startRun(minutesAfterCreation(5));
    writer.finishRun(run.id, { finishedAt: minutesAfterCreation(6), outcome: 'ok', counts: { read: 1 } });
    writer.acquireLock('runner-a', T0, 60_000);
    const before = {
      link: writer.getLinkByReferralId(link.referralId),
      intents: writer.listIntents(),
      parked: writer.listParked(),
      conflicts: writer.listConflicts({ includeResolved: true }),
      cursor: writer.getCursor('crm'),
      runs: writer.listRuns(10),
    };
    writer.close();

    const reader = openSqliteStore(file);
    try {
      assert.deepEqual(reader.getLinkByReferralId(link.referralId), link);
      assert.deepEqual(
        {
          link: reader.getLinkByReferralId(link.referralId),
          intents: reader.listIntents(),
          parked: reader.listParked(),
          conflicts: reader.listConflicts({ includeResolved: true }),
          cursor: reader.getCursor('crm'),
          runs: reader.listRuns(10),
        },
        before,
      );
      assert.equal(reader.acquireLock('runner-b', T0 + 1_000, 60_000), false, 'the lock outlives the connection that took it');
    } finally {
      reader.close();
    }
  });

  it('shows another connection nothing of a transaction in progress, and nothing at all when it throws', () => {
    const file = temp.file();
    const writer = openSqliteStore(file);
    const reader = openSqliteStore(file);
    try {
      assert.throws(() =>
        writer.transaction((tx) => {
          tx.putLink(makeLink(1));
          tx.putCursor('crm', { page: 1 });
          assert.equal(reader.getLinkByCrmId(makeLink(1).crmId), undefined, 'uncommitted work is invisible');
          throw new Error('page failed');
        }),
      /page failed/);
      assert.equal(reader.getLinkByCrmId(makeLink(1).crmId), undefined);
      assert.equal(reader.getCursor('crm'), undefined);

      writer.transaction((tx) => tx.putLink(makeLink(2)));
      assert.deepEqual(reader.getLinkByCrmId(makeLink(2).crmId), makeLink(2));
    } finally {
      writer.close();
      reader.close();
    }
  });

  it('makes a second writer wait for the first and give up with SQLITE_BUSY (explained as store.busy), never interleave', () => {
    const file = temp.file();
    const first = openSqliteStore(file);
    const second = openSqliteStore(file, { busyTimeoutMs: 20 });
    try {
      first.transaction((tx) => {
        tx.putLink(makeLink(1));
        assert.throws(() => second.putLink(makeLink(2)), (e: unknown) => e instanceof StateStoreError && e.code === 'store.busy' && (e.cause as { code?: string }).code === 'SQLITE_BUSY');
      });
      second.putLink(makeLink(2));
      assert.deepEqual(first.countLinks(), { active: 2, 'crm-deleted': 0, 'referral-missing': 0 });
    } finally {
      first.close();
      second.close();
    }
  });

  it('gives the runner lock to one connection at a time, and to another once the holder goes stale', () => {
    const file = temp.file();
    const processA = openSqliteStore(file);
    const processB = openSqliteStore(file);
    try {
      assert.equal(processA.acquireLock('runner-a', T0, 60_000), true);
      assert.equal(processB.acquireLock('runner-b', T0 + 1_000, 60_000), false);
      processA.renewLock('runner-a', T0 + 30_000);
      assert.equal(processB.acquireLock('runner-b', T0 + 60_000, 60_000), false);
      assert.equal(processB.acquireLock('runner-b', T0 + 90_000, 60_000), true);
      assert.throws(() => processA.renewLock('runner-a', T0 + 90_001), /no longer held by runner-a/);
    } finally {
      processA.close();
      processB.close();
    }
  });

  it('gives a dry run an in-memory copy: the real state, including the write-ahead log, and no way back to the file', () => {
    const file = temp.file();
    const live = openSqliteStore(file);
    try {
      live.putLink(makeLink(1));
      live.putCursor('crm', { page: 1 });
      assert.ok(fs.statSync(`${file}-wal`).size > 0, 'the commits are still in the log, not yet checkpointed');

      const dryRun = openSqliteSnapshot(file);
      assert.deepEqual(dryRun.getLinkByCrmId(makeLink(1).crmId), makeLink(1));
      dryRun.putLink(makeLink(2));
      dryRun.putCursor('crm', { page: 2 });
      dryRun.close();

      assert.equal(live.getLinkByCrmId(makeLink(2).crmId), undefined);
      assert.deepEqual(live.getCursor('crm'), { page: 1 });
    } finally {
      live.close();
    }
    const missing = temp.file();
    const empty = openSqliteSnapshot(missing);
    assert.deepEqual(empty.countLinks(), { active: 0, 'crm-deleted': 0, 'referral-missing': 0 });
    empty.close();
    assert.equal(fs.existsSync(missing), false, 'a dry run creates no state file');
  });

  it('keeps the last committed page and nothing of the page in flight when the process is killed', () => {
    const file = temp.file();
    const firstPage = 100;
    const secondPage = 3_000;
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(HERE, 'fixtures', 'crash-writer.ts'), file, String(firstPage), String(secondPage)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(child.signal, 'SIGKILL', child.stderr);

    const store = openSqliteStore(file);
    try {
      assert.deepEqual(store.countLinks(), { active: firstPage, 'crm-deleted': 0, 'referral-missing': 0 });
      assert.deepEqual(store.getCursor('crm'), { page: 1 });
      assert.equal(store.getLinkByCrmId(makeLink(firstPage + 1).crmId), undefined);
      // Still writable after recovery.
      store.putLink(makeLink(firstPage + 1));
      assert.equal(store.countLinks().active, firstPage + 1);
    } finally {
      store.close();
    }
  });
});
