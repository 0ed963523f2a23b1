/**
 * The memory of webhook events taken is written to the state store before each event is answered. It
 * used to be one value holding every event of the last two hours, written whole on every event: a first
 * sync that updates thousands of referrals (each update comes back as an event) cost a write of all the
 * events so far per event, quadratic (10,000 events: about 2 minutes of the service blocked in the
 * service walk of 2026-12-05). Each write now holds the events of its 10-second slot only; a restart still
 * knows every event young enough to be accepted, and forgets older ones.
 */
import assert from 'node:assert/strict';
import { ReplayGuard } from '../../core/serve/replay-guard.js';
import { openMemoryStore, type StateStore } from '../../core/store/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A store that records how many entries each write of the replay memory held. */
function measuredStore(): { store: StateStore; writes: number[] } {
  const store = openMemoryStore();
  const writes: number[] = [];
  const putMeta = store.putMeta.bind(store);
  store.putMeta = (key, value, at) => {
    if (key.startsWith('serve.webhookEventsSeen') && Array.isArray(value)) writes.push(value.length);
    putMeta(key, value, at);
  };
  return { store, writes };
}

describe('webhook receiver: the memory of events taken, at scale', () => {
  it('writes the events of the last few seconds, not every event of the window, on each event', () => {
    const { store, writes } = measuredStore();
    const guard = new ReplayGuard(store, HOUR);
    const start = Date.parse('2026-12-05T10:00:00Z');
    for (let i = 0; i < 3000; i += 1) guard.remember(`event-${i}`, start + Math.floor(i / 100) * MINUTE + (i % 100));
    assert.ok(Math.max(...writes) <= 100, `the largest write held ${Math.max(...writes)} events (100 arrived each minute)`);
  });

  it('after a restart knows the events of the window and forgets older ones', () => {
    const { store } = measuredStore();
    const start = Date.parse('2026-12-05T10:00:00Z');
    const guard = new ReplayGuard(store, HOUR);
    guard.remember('early', start);
    guard.remember('recent', start + 90 * MINUTE);
    guard.remember('latest', start + 2 * HOUR + 30 * MINUTE);
    const restarted = new ReplayGuard(store, HOUR);
    assert.equal(restarted.has('latest'), true);
    assert.equal(restarted.has('recent'), true);
    assert.equal(restarted.has('early'), false, 'older than twice the age bound: forgotten, and refused by age anyway');
  });

  it('reads the memory as earlier versions wrote it (one value of [key, ms] pairs)', () => {
    const { store } = measuredStore();
    const now = Date.now();
    store.putMeta('serve.webhookEventsSeen', [['old-layout', now - MINUTE]], new Date(now).toISOString());
    const guard = new ReplayGuard(store, HOUR);
    assert.equal(guard.has('old-layout'), true);
    guard.remember('new-layout', now);
    const restarted = new ReplayGuard(store, HOUR);
    assert.equal(restarted.has('old-layout'), true);
    assert.equal(restarted.has('new-layout'), true);
  });
});
