/**
 * The write buffer sends whole batches only (core/engine/write-buffer.ts): once it holds a batch's worth, it
 * sends that many and keeps the rest, with its page, for the next page's writes; a page is committed (its
 * links and cursor) only once all its writes came back, in feed order. Until 2026-12-07 it sent everything it
 * held once a batch was reached: a batch and a rest, the rest a CRM call of its own (at Salesforce, a
 * partly empty Composite call per page).
 */
import assert from 'node:assert/strict';
import { runSyncOnce } from '../../../core/engine/sync-engine.js';
import { silentLogger } from '../../../core/logger.js';
import { openMemoryStore } from '../../../core/store/index.js';
import type { CrmWrite, CrmWriteResult } from '../../../core/engine/crm-port.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { outboundDeal } from '../../helpers/referrals.js';

const draft = () => outboundDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, acceptedAt: undefined });

/** 50 outbound deals listed 20 a page (20, 20, 10), written back 30 a batch. */
function world() {
  const now = () => new Date('2026-03-02T08:00:00.000Z');
  const crm = new FakeCrm(now, 20);
  Object.assign(crm, { maxBatchSize: 30 });
  const pc = new FakePartnerCenter(now);
  const store = openMemoryStore();
  for (let i = 0; i < 50; i += 1) crm.add(draft());
  const sync = () => runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now });
  /** Each write call's size, and the links committed when it was made. */
  const calls: { size: number; linked: number }[] = [];
  const write = crm.write.bind(crm);
  let fail: ((n: number) => boolean) | undefined;
  crm.write = async (writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> => {
    calls.push({ size: writes.length, linked: store.countLinks().active });
    if (fail?.(calls.length)) throw new Error('the CRM went away');
    return write(writes);
  };
  return { crm, pc, store, sync, calls, failOn: (f: (n: number) => boolean) => (fail = f) };
}

describe('engine write buffer: whole batches', () => {
  it('sends a batch that ends inside a page and keeps the rest for the next page; each page commits once all its writes came back', async () => {
    const w = world();
    assert.equal((await w.sync()).outcome, 'ok');
    // Pages of 20 write-backs: 30 (page 1 and half of page 2), then 20 (the rest of page 2 and page 3). Sending
    // all that was held made three calls: 30, 10 and 10.
    assert.deepEqual(w.calls.map((c) => c.size), [30, 20]);
    assert.equal(w.calls[0]!.linked, 0, 'nothing committed before its writes came back');
    assert.equal(w.calls[1]!.linked, 20, 'page 1 committed after the first batch; page 2, half written, not yet');
    assert.equal(w.store.countLinks().active, 50);
    assert.equal(w.pc.referrals.size, 50);
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
  });

  it('a failed batch leaves the page half written in the first one uncommitted: the next run reads it again and links every deal once', async () => {
    const w = world();
    w.failOn((n) => n === 2);
    assert.equal((await w.sync()).outcome, 'failed');
    // Page 1 committed with its cursor; page 2, whose first ten writes went out in batch 1, is read again.
    assert.equal(w.store.countLinks().active, 20);
    const cursor = w.store.getCursor('crm');
    assert.ok(cursor, 'page 1 committed its cursor');
    w.failOn(() => false);
    assert.equal((await w.sync()).outcome, 'ok');
    assert.equal(w.pc.referrals.size, 50, 'each deal was created in Partner Center once (its intent found the earlier create)');
    assert.equal(w.store.countLinks().active, 50);
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
  });
});
