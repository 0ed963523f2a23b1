/**
 * `sync --dry-run` is one wrapper around the engine's ports and store (core/engine/dry-run.ts, issue 13):
 * the engine runs its real path, and the wrapper lists each write instead of making it. These tests hold
 * the wrapper to that: nothing reaches either side or the store, and the plan is the real run's writes.
 */
import assert from 'node:assert/strict';
import { DryRunStore } from '../../../core/engine/dry-run-store.js';
import { dryRunSides } from '../../../core/engine/dry-run.js';
import { Tally } from '../../../core/engine/context.js';
import type { PlannedChange } from '../../../core/engine/dry-run-plan.js';
import { runSyncOnce } from '../../../core/engine/sync-engine.js';
import { silentLogger } from '../../../core/logger.js';
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../../core/store/index.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { inboundFromMicrosoft, outboundDeal } from '../../helpers/referrals.js';

const now = () => new Date('2026-03-02T08:00:00.000Z');
const newDeal = (dealName: string) => outboundDeal({ dealName, referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, acceptedAt: undefined });

/** Counts the calls that would change either side. */
function watchWrites(crm: FakeCrm, pc: FakePartnerCenter): { crm: number; pc: number } {
  const seen = { crm: 0, pc: 0 };
  const write = crm.write.bind(crm);
  crm.write = async (...args) => ((seen.crm += 1), write(...args));
  const create = pc.createIdempotent.bind(pc);
  pc.createIdempotent = async (...args) => ((seen.pc += 1), create(...args));
  const update = pc.update.bind(pc);
  pc.update = async (...args) => ((seen.pc += 1), update(...args));
  return seen;
}

describe('sync --dry-run: one wrapper around the ports and the store', () => {
  it('sends nothing, stores nothing, and plans exactly the writes the real run then makes', async () => {
    const crm = new FakeCrm(now);
    const pc = new FakePartnerCenter(now);
    const store = openMemoryStore();
    for (const name of ['Alpha', 'Beta', 'Gamma']) crm.add(newDeal(name));
    pc.receive(inboundFromMicrosoft({ dealName: 'From Microsoft' }));
    const seen = watchWrites(crm, pc);

    const dry = await runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now }, { dryRun: true });
    assert.equal(dry.outcome, 'ok');
    assert.deepEqual(seen, { crm: 0, pc: 0 }, 'neither side was written');
    assert.equal(store.listLinks({}).length, 0, 'no link stored');
    assert.equal(store.listIntents().length, 0, 'no create intent stored');
    assert.equal(store.listRuns(10).length, 0, 'a dry run is not in the run history');
    assert.equal(store.getCursor('partner-center'), undefined, 'no cursor moved');
    assert.equal(dry.runId, undefined);

    const real = await runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now });
    assert.equal(real.outcome, 'ok');
    assert.ok(real.writes > 0);
    assert.equal(dry.plan?.length, real.writes, `one plan entry per write of the real run (${JSON.stringify(real.counts)})`);
    for (const key of ['pcCreated', 'crmCreated', 'pcUpdated', 'crmUpdated', 'statusWritten'] as const) {
      assert.equal(dry.counts[key] ?? 0, real.counts[key] ?? 0, key);
    }
    assert.deepEqual(dry.plan!.filter((p) => p.side === 'partner-center' && p.kind === 'create').map((p) => p.dealName).sort(), ['Alpha', 'Beta', 'Gamma']);
    assert.deepEqual(dry.plan!.filter((p) => p.side === 'crm' && p.kind === 'create').map((p) => p.dealName), ['From Microsoft']);
  });

  it('plans a linked deal\'s edit as the Partner Center update the real run sends, naming the changed fields', async () => {
    const crm = new FakeCrm(now);
    const pc = new FakePartnerCenter(now);
    const store = openMemoryStore();
    const crmId = crm.add(newDeal('Alpha'));
    await runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now });
    await runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now });
    crm.edit(crmId, (o) => { o.referral = { ...o.referral, value: 123_456 }; });
    const seen = watchWrites(crm, pc);

    const dry = await runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now }, { dryRun: true });
    assert.deepEqual(seen, { crm: 0, pc: 0 });
    const update = dry.plan!.find((p) => p.side === 'partner-center' && p.kind === 'update');
    assert.deepEqual(update && { crmId: update.crmId, fields: update.fields }, { crmId, fields: ['value'] });
    const real = await runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now });
    assert.equal(real.counts.pcUpdated, 1);
    assert.equal((await pc.get(store.getLinkByCrmId(crmId)!.referralId)).value, 123_456);
    assert.equal(dry.plan!.length, real.writes);
  });

  it('never asks the CRM for a record it only planned to create', async () => {
    const crm = new FakeCrm(now);
    const asked: string[][] = [];
    const getDeals = crm.getDeals.bind(crm);
    crm.getDeals = async (ids) => (asked.push([...ids]), getDeals(ids));
    const plan: PlannedChange[] = [];
    const sides = dryRunSides({ crm, partnerCenter: new FakePartnerCenter(now), store: asyncStateStore(openMemoryStore()) }, plan, new Tally(), now);
    const [created] = await sides.crm.write([{ kind: 'create', key: 'ref-1', referral: inboundFromMicrosoft({ referralId: 'ref-1', dealName: 'From Microsoft' }), status: { state: 'synced', at: now().toISOString() } as never }]);
    assert.ok(created?.ok && created.crmId.startsWith('dry-run:'));
    assert.deepEqual(await sides.crm.getDeals([created.crmId]), []);
    assert.deepEqual(asked, [], 'the real CRM was not asked');
    assert.deepEqual(plan.map((p) => `${p.side} ${p.kind}${p.fields ? ` ${p.fields.join()}` : ''}`), ['crm create', 'partner-center update crmId', 'crm status'],
      'the create, and the two writes a real run makes once the record comes back in the feed');
  });

  it('store: reads answer from the real store, writes inside or outside a transaction are dropped', async () => {
    const real = openMemoryStore();
    real.putMeta('kept', 1, now().toISOString());
    const dry = new DryRunStore(asyncStateStore(real));
    assert.equal(await dry.getMeta('kept'), 1);
    await dry.putMeta('new', 2, now().toISOString());
    await dry.transaction(async (tx) => {
      await tx.putIntent({ target: 'referral', sourceId: 'opp-1', createdAt: now().toISOString(), attempts: 1 });
      await tx.putCursor('crm', { kind: 'test' } as never);
      await tx.deleteMeta('kept');
    });
    await dry.leads.convert('lead-1', 'opp-1', now().toISOString());
    assert.equal(real.getMeta('new'), undefined);
    assert.equal(real.getMeta('kept'), 1);
    assert.equal(real.listIntents().length, 0);
    assert.equal(real.getCursor('crm'), undefined);
  });
});
