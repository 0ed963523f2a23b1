/**
 * The Partner Center sandbox's expiry queue: each waiting referral is due when its 14-day window closes,
 * the due ones come out earliest first, and a write that ends the wait or moves the window is followed.
 */
import assert from 'node:assert/strict';
import { DueQueue } from '../../sandbox/partner-center/due-queue.js';
import { ReferralStore, type StoredReferral } from '../../sandbox/partner-center/store.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const inbound = (id: string, expiresAt: number): StoredReferral => ({ id, organizationId: 'org', engagementId: `eng-${id}`, direction: 'Incoming', status: 'New', expirationDateTime: iso(expiresAt) });

describe('Partner Center sandbox: the expiry due-time queue', () => {
  it('gives the due ids only, earliest due first, whatever the order they were scheduled in', () => {
    const queue = new DueQueue();
    const times = [50, 10, 40, 30, 20, 60, 5];
    times.forEach((at, i) => queue.schedule(`r${i}`, at));
    assert.deepEqual(queue.due(4), []);
    assert.deepEqual(queue.due(30), ['r6', 'r1', 'r4', 'r3']);
    assert.deepEqual(queue.due(60), ['r6', 'r1', 'r4', 'r3', 'r2', 'r0', 'r5']);
  });

  it('keeps a due id until it is settled, follows a moved due time and forgets a settled one', () => {
    const queue = new DueQueue();
    queue.schedule('a', 10);
    queue.schedule('b', 20);
    assert.deepEqual(queue.due(15), ['a']);
    assert.deepEqual(queue.due(15), ['a'], 'still due: nothing settled it');
    queue.schedule('a', 100);
    queue.schedule('b', undefined);
    assert.deepEqual(queue.due(50), []);
    assert.deepEqual(queue.due(100), ['a']);
    assert.equal(queue.size, 1);
  });

  it('orders 10,000 random due times like a sort does', () => {
    const queue = new DueQueue();
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const due = Array.from({ length: 10_000 }, (_, i) => ({ id: `r${i}`, at: Math.floor(random() * 1000) }));
    for (const { id, at } of due) queue.schedule(id, at);
    const expected = [...due].sort((a, b) => a.at - b.at || Number(a.id.slice(1)) - Number(b.id.slice(1))).map((d) => d.id);
    assert.deepEqual(queue.due(1000), expected);
  });

  it('the store queues an inbound referral at its expiry, Microsoft\'s decision 14 days after the request, and drops an answered one', () => {
    const store = new ReferralStore();
    store.put(inbound('in', T0 + 14 * DAY));
    store.put({ id: 'out', organizationId: 'org', engagementId: 'eng-out', direction: 'Outgoing', status: 'Active', microsoftEngagement: { status: 'Pending', requestedDateTime: iso(T0 + DAY) } } as StoredReferral);
    store.put({ id: 'done', organizationId: 'org', engagementId: 'eng-done', direction: 'Outgoing', status: 'Active' } as StoredReferral);
    store.put({ ...inbound('unreadable', T0), expirationDateTime: 'not a date' });
    assert.deepEqual(store.dueIds(new Date(T0)), ['unreadable'], 'an unreadable date is due at once, for the rules to judge');
    assert.deepEqual(store.dueIds(new Date(T0 + 14 * DAY)), ['unreadable', 'in']);
    assert.deepEqual(store.dueIds(new Date(T0 + 15 * DAY)), ['unreadable', 'in', 'out']);
    store.put({ ...inbound('in', T0 + 14 * DAY), status: 'Active' });
    assert.deepEqual(store.dueIds(new Date(T0 + 15 * DAY)), ['unreadable', 'out']);
  });
});
