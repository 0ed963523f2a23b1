/**
 * Throughput without losing exactness: CRM writes gathered across feed pages into full batches, pages
 * committed only after their writes came back, and Partner Center calls a few at a time.
 */
import assert from 'node:assert/strict';
import { forEachBounded } from '../../../core/engine/bounded.js';
import { runSyncOnce } from '../../../core/engine/sync-engine.js';
import { silentLogger } from '../../../core/logger.js';
import { openMemoryStore } from '../../../core/store/index.js';
import type { CrmWrite, CrmWriteResult } from '../../../core/engine/crm-port.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { outboundDeal } from '../../helpers/referrals.js';

const draft = () => outboundDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, acceptedAt: undefined });

function world(crmPageSize: number) {
  const now = () => new Date('2026-03-02T08:00:00.000Z');
  const crm = new FakeCrm(now, crmPageSize);
  const pc = new FakePartnerCenter(now);
  const store = openMemoryStore();
  const sync = () => runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now });
  return { crm, pc, store, sync };
}

describe('engine throughput', () => {
  it('sends the writes of several feed pages in one full batch, and commits each page with its cursor after it', async () => {
    const w = world(10);
    for (let i = 0; i < 45; i += 1) w.crm.add(draft());
    const sizes: number[] = [];
    const cursorsWhenWritten: unknown[] = [];
    const write = w.crm.write.bind(w.crm);
    w.crm.write = async (writes: readonly CrmWrite[]) => {
      sizes.push(writes.length);
      cursorsWhenWritten.push(w.store.getCursor('crm'));
      return write(writes);
    };
    const report = await w.sync();
    assert.equal(report.outcome, 'ok');
    assert.equal(w.pc.referrals.size, 45);
    // Five feed pages of at most ten deals, one CRM write call (the batch limit is 200).
    assert.deepEqual(sizes, [45]);
    assert.equal(cursorsWhenWritten[0], undefined, 'no page was committed before its writes came back');
    assert.equal(w.store.countLinks().active, 45);
    assert.ok(w.store.getCursor('crm'), 'the last page committed its cursor');
  });

  it('commits nothing of the buffered pages when their batch fails, and the next run links every deal once', async () => {
    const w = world(10);
    for (let i = 0; i < 25; i += 1) w.crm.add(draft());
    const write = w.crm.write.bind(w.crm);
    let fail = true;
    w.crm.write = async (writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> => {
      if (fail) throw new Error('the CRM went away');
      return write(writes);
    };
    const failed = await w.sync();
    assert.equal(failed.outcome, 'failed');
    assert.equal(w.store.getCursor('crm'), undefined);
    assert.equal(w.store.countLinks().active, 0);
    fail = false;
    assert.equal((await w.sync()).outcome, 'ok');
    assert.equal(w.pc.referrals.size, 25, 'each deal was created in Partner Center once (its intent found the earlier create)');
    assert.equal(w.store.countLinks().active, 25);
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
  });

  it('creates in Partner Center a few at a time when the port allows it, each deal once', async () => {
    const w = world(50);
    for (let i = 0; i < 30; i += 1) w.crm.add(draft());
    let inFlight = 0;
    let most = 0;
    const create = w.pc.createIdempotent.bind(w.pc);
    Object.assign(w.pc, { maxConcurrency: 4 });
    w.pc.createIdempotent = async (...args: Parameters<typeof create>) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return create(...args);
    };
    assert.equal((await w.sync()).outcome, 'ok');
    assert.equal(most, 4);
    assert.equal(w.pc.referrals.size, 30);
    assert.equal(new Set([...w.pc.referrals.values()].map((r) => r.crmId)).size, 30);
    await w.sync();
    assert.equal((await w.sync()).writes, 0);
  });
});

describe('forEachBounded', () => {
  it('keeps at most the limit in flight, runs every item, and after a failure starts nothing new', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      done.push(n);
    });
    assert.equal(most, 3);
    assert.deepEqual([...done].sort(), [1, 2, 3, 4, 5, 6, 7]);

    const started: number[] = [];
    await assert.rejects(
      forEachBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await new Promise((resolve) => setImmediate(resolve));
        if (n === 2) throw new Error('refused');
      }),
      /refused/,
    );
    assert.ok(started.length < 6, `started ${started.join(',')}`);
  });
});
