/**
 * The referrals waiting for a targeted sync are stored before each webhook event is answered. They used to
 * be one store value holding the whole list, written on every event: a burst of N distinct referrals (a
 * first sync that updates thousands of referrals, each update coming back as an event) wrote N²/2 entries
 * (4,000 referrals: 700 MB written, 14 s of a service answering nothing; core/serve/README.md). Each event
 * now writes its own referral's row, and the queue keeps its guarantees: what was answered 200 survives a
 * restart, a burst for one referral is one entry, a failed entry keeps its reason, attempts and back-off.
 * A list saved by the old layout is moved into rows by the schema migration, so nothing waiting is lost.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { EventQueue, retryDelayMs } from '../../core/serve/event-queue.js';
import { MIGRATIONS, openMemoryStore, openSqliteStore, type StateStore } from '../../core/store/index.js';
import { applyMigrations } from '../../core/store/sqlite-migrate.js';
import { makeTempDir } from '../store/store-fixtures.js';

const T0 = Date.parse('2026-12-06T08:00:00Z');
const referral = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A store that counts the queue entries each write carries, whichever way the queue writes them. */
function measuredStore(store: StateStore = openMemoryStore()): { store: StateStore; written: () => number } {
  let written = 0;
  const putMeta = store.putMeta.bind(store);
  store.putMeta = (key, value, at) => {
    if (key.startsWith('serve.pending')) written += Array.isArray(value) ? value.length : 1;
    putMeta(key, value, at);
  };
  const rows = store.pendingReferrals as StateStore['pendingReferrals'] | undefined;
  if (rows) {
    const put = rows.put.bind(rows);
    rows.put = (entry, at) => {
      written += 1;
      put(entry, at);
    };
  }
  return { store, written: () => written };
}

describe('webhook receiver: the referrals waiting for a targeted sync, at scale', () => {
  const temp = makeTempDir();
  after(() => temp.cleanup());

  it('writes one entry per event in a burst of distinct referrals, not the whole list each time', () => {
    const { store, written } = measuredStore();
    const queue = new EventQueue(store);
    for (let i = 0; i < 2000; i += 1) queue.add(referral(i), T0 + i);
    assert.equal(queue.size, 2000);
    assert.equal(written(), 2000, 'entries written for 2,000 events (the whole list each time: 2,001,000)');
  });

  it('keeps its guarantees across a restart: one entry per referral, and a failure with its reason, attempts and back-off', () => {
    const { store, written } = measuredStore(openSqliteStore(temp.file()));
    const queue = new EventQueue(store);
    for (let i = 0; i < 5; i += 1) queue.add('burst', T0 + i);
    queue.add('fails', T0 + 10);
    queue.add('syncs', T0 + 20);
    const batch = queue.take(T0 + 30);
    queue.settle(batch.token, T0 + 40, new Map([['fails', 'Partner Center answered 503']]));
    queue.add('later', T0 + 50);
    assert.equal(written(), 9, 'one row written per event and per failure');

    const restarted = new EventQueue(store);
    assert.equal(restarted.size, 2, 'the failed referral and the one announced after the sync wait; the others synced');
    const again = restarted.take(T0 + 60);
    assert.deepEqual(again.referralIds, ['later'], 'the failed one waits out its back-off');
    assert.deepEqual(restarted.failures(), [{ referralId: 'fails', receivedMs: T0 + 10, events: 1, failure: { reason: 'Partner Center answered 503', attempts: 1, retryAtMs: T0 + 40 + retryDelayMs(1) } }]);
    restarted.settle(again.token, T0 + 70);
    const due = restarted.take(T0 + 40 + retryDelayMs(1));
    assert.deepEqual(due.referralIds, ['fails']);
    restarted.settle(due.token, T0 + 40 + retryDelayMs(1), new Map([['fails', 'still 503']]));
    assert.deepEqual(new EventQueue(store).failures().map((p) => p.failure?.attempts), [2], 'attempts count on across restarts');
    const burst = new EventQueue(store);
    for (let i = 0; i < 3; i += 1) burst.add('again', T0 + 100 + i);
    assert.deepEqual(new EventQueue(store).take().referralIds.sort(), ['again', 'fails']);
    assert.equal(new EventQueue(store).failures().length, 1);
    store.close();
  });

  it('moves a list saved by the old layout (one store value, schema version 8) into rows at the upgrade', () => {
    const file = temp.file();
    const old = new Database(file);
    fs.chmodSync(file, 0o600);
    applyMigrations(old, file, MIGRATIONS.filter((m) => m.version <= 8));
    const failure = { reason: 'the referral could not be read', attempts: 2, retryAtMs: T0 + 60_000 };
    const saved = [{ referralId: 'waiting', receivedMs: T0, events: 3 }, { referralId: 'failed', receivedMs: T0 + 5, events: 1, failure }];
    old.prepare('INSERT INTO store_meta (key, value_json, updated_at) VALUES (?, ?, ?)').run('serve.pendingReferrals', JSON.stringify(saved), new Date(T0).toISOString());
    old.close();

    const store = openSqliteStore(file);
    assert.equal(store.getMeta('serve.pendingReferrals'), undefined, 'the old value is gone');
    const queue = new EventQueue(store);
    assert.equal(queue.size, 2);
    assert.deepEqual(queue.take(T0 + 1_000).referralIds, ['waiting']);
    assert.deepEqual(queue.failures(), [saved[1]]);
    store.close();
  });
});
