/** The runner lock's healing rules, one by one, on the in-memory store (the SQLite store shares its suite). */
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import { HUNG_HOLDER_MS, judgeLock, LOCK_STALE_MS, takeRunnerLock, type LockWorld } from '../../../core/cli/runner-lock.js';
import { openMemoryStore } from '../../../core/store/index.js';

const T0 = Date.parse('2026-12-04T09:00:00.000Z');
const alive = new Set([100, 200]);
const world = (now: number, host = 'host-a'): LockWorld => ({ host, now, isProcessAlive: (pid) => alive.has(pid) });

function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

describe('runner lock healing', () => {
  it('a free lock is free', () => {
    assert.deepEqual(judgeLock(undefined, world(T0)), { kind: 'free' });
  });

  it('a holder on this host whose process is alive and whose heartbeat is fresh holds it', () => {
    const holder = { owner: 'a', pid: 100, host: 'host-a', acquiredMs: T0, heartbeatMs: T0 };
    assert.equal(judgeLock(holder, world(T0 + 1_000)).kind, 'live');
  });

  it('a holder on this host whose process is gone has abandoned it at once, however fresh its heartbeat', () => {
    const holder = { owner: 'a', pid: 999, host: 'host-a', acquiredMs: T0, heartbeatMs: T0 };
    const verdict = judgeLock(holder, world(T0 + 1));
    assert.equal(verdict.kind, 'abandoned');
    assert.match(verdict.kind === 'abandoned' ? verdict.why : '', /process 999 on this host \(host-a\) no longer exists/);
  });

  it('a holder on this host whose process exists keeps it through a clock jump or a frozen process, up to ten minutes', () => {
    // A VM resumed, a laptop woken, an NTP step: the heartbeat looks a minute old while its process lives on.
    const holder = { owner: 'a', pid: 100, host: 'host-a', acquiredMs: T0, heartbeatMs: T0 };
    assert.equal(judgeLock(holder, world(T0 + LOCK_STALE_MS + 5_000)).kind, 'live');
    assert.equal(judgeLock(holder, world(T0 + HUNG_HOLDER_MS - 1)).kind, 'live');
    const hung = judgeLock(holder, world(T0 + HUNG_HOLDER_MS));
    assert.equal(hung.kind, 'abandoned');
    assert.match(hung.kind === 'abandoned' ? hung.why : '', /process 100 exists but its heartbeat is 600 s old/);
  });

  it('a second sync started after a clock jump does not take the lock of a live holder on this host', async () => {
    const store = asyncStateStore(openMemoryStore());
    await store.acquireLock('sync@host-a:100', T0, LOCK_STALE_MS, { pid: 100, host: 'host-a' });
    const { logger } = recordingLogger();
    const result = await takeRunnerLock(store, 'sync@host-a:300', logger, world(T0 + 90_000), { pid: 300, host: 'host-a' });
    assert.equal(result.taken, false);
    assert.equal((await store.lockHolder())?.owner, 'sync@host-a:100');
  });

  it('a holder on another host is judged by its heartbeat alone (its PIDs mean nothing here)', () => {
    const holder = { owner: 'b', pid: 999, host: 'host-b', acquiredMs: T0, heartbeatMs: T0 };
    assert.equal(judgeLock(holder, world(T0 + LOCK_STALE_MS - 1)).kind, 'live');
    const stale = judgeLock(holder, world(T0 + LOCK_STALE_MS));
    assert.equal(stale.kind, 'abandoned');
    assert.match(stale.kind === 'abandoned' ? stale.why : '', /heartbeat is 60 s old/);
  });

  it('a lock written before holders were recorded (no PID) heals by heartbeat', () => {
    const holder = { owner: 'old', acquiredMs: T0, heartbeatMs: T0 };
    assert.equal(judgeLock(holder, world(T0 + 1_000)).kind, 'live');
    assert.equal(judgeLock(holder, world(T0 + LOCK_STALE_MS)).kind, 'abandoned');
  });

  it('takes over from a dead holder and says so in the log, naming it', async () => {
    const store = openMemoryStore();
    store.acquireLock('sync@host-a:999', T0, LOCK_STALE_MS, { pid: 999, host: 'host-a' });
    const { logger, lines } = recordingLogger();
    const result = await takeRunnerLock(asyncStateStore(store), 'run@host-a:100', logger, world(T0 + 5), { pid: 100, host: 'host-a' });
    assert.equal(result.taken, true);
    assert.equal(result.taken && result.tookOverFrom?.owner, 'sync@host-a:999');
    assert.equal(store.lockHolder()?.owner, 'run@host-a:100');
    assert.equal(store.lockHolder()?.pid, 100);
    assert.ok(lines.some((l) => l.level === 40 && /Took over the runner lock from sync@host-a:999 \(process 999 on host-a\)/.test(l.msg)));
  });

  it('leaves a live holder alone and reports it', async () => {
    const store = openMemoryStore();
    store.acquireLock('sync@host-a:200', T0, LOCK_STALE_MS, { pid: 200, host: 'host-a' });
    const { logger, lines } = recordingLogger();
    const result = await takeRunnerLock(asyncStateStore(store), 'run@host-a:100', logger, world(T0 + 5), { pid: 100, host: 'host-a' });
    assert.equal(result.taken, false);
    assert.equal(!result.taken && result.holder.owner, 'sync@host-a:200');
    assert.equal(lines.length, 0);
  });

  it('of two processes that both judged the holder dead, only one takes the lock', async () => {
    const store = openMemoryStore();
    store.acquireLock('dead', T0, LOCK_STALE_MS, { pid: 999, host: 'host-a' });
    const seen = store.lockHolder()!;
    // The first breaks it and takes it; the second breaks with what it saw earlier, which no longer matches.
    const { logger } = recordingLogger();
    assert.equal((await takeRunnerLock(asyncStateStore(store), 'first', logger, world(T0 + 1), { pid: 100, host: 'host-a' })).taken, true);
    assert.equal(store.breakLock(seen.owner, seen.heartbeatMs), false);
    assert.equal((await takeRunnerLock(asyncStateStore(store), 'second', logger, world(T0 + 2), { pid: 200, host: 'host-a' })).taken, false);
    assert.equal(store.lockHolder()?.owner, 'first');
  });
});
