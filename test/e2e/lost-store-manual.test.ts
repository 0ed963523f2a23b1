/**
 * A lost state store under the manual conflict policy, with an inbound referral answered on one side while
 * the store was gone. Found walking `cosell state rebuild` with an admin (2026-12-06): the rebuilt link held
 * the status for an admin, yet the engine wrote Partner Center's "Accepted" stage onto the record (Dynamics
 * 365), wrote Partner Center's status into the record's status field (both CRMs, which settled the conflict
 * for Partner Center by itself within the run), or sent the seller's stage to the unanswered referral; and
 * the record asked the seller to type Partner Center's status. Under the manual policy nothing a conflict
 * covers moves to either side until an admin settles it, and the record names the command to run.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runSyncOnce } from '../../core/engine/sync-engine.js';
import { openRuntime, type Runtime } from '../../core/cli/runtime.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { loseStore } from './lost-store.suite.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const BIN = fileURLToPath(new URL('../../bin/cosell.js', import.meta.url));

interface Rebuilt {
  world: World;
  runtime: Runtime;
  crmId: string;
  referralId: string;
  sync(): Promise<number>;
  cosell(args: string[]): Promise<string>;
  close(): Promise<void>;
}

/** An unanswered inbound referral synced, then `lostWhile` on either side while the store is gone; then one rebuild run. */
async function rebuiltInbound(kind: CrmKind, lostWhile: (world: World, crmId: string, referralId: string) => Promise<void>): Promise<Rebuilt> {
  const world = await startWorld(kind, { sync: { conflictPolicy: 'manual' } });
  const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Answered while the store was gone' } }));
  await world.syncToQuiet();
  const [crmId] = await world.seller.recordsForReferral(sent.id);
  world.set.clock.advance(60_000);
  await lostWhile(world, crmId!, sent.id);
  loseStore(world);
  const runtime = await openRuntime({ config: world.runtime.config, now: () => world.set.clock.now() });
  const config = join(world.runtime.config.store.path, '..', 'manual-rebuild.config.json');
  writeFileSync(config, JSON.stringify({ ...world.runtime.config, logging: { level: 'silent' } }));
  return {
    world, runtime, crmId: crmId!, referralId: sent.id,
    sync: async () => (await runSyncOnce(runtime.engineDeps(), { policy: 'manual', holdWonHours: world.runtime.config.sync.holdWonHours })).writes,
    cosell: async (args) => (await promisify(execFile)(process.execPath, [BIN, ...args, '-c', config], { env: process.env })).stdout,
    async close() {
      runtime.close();
      await world.close();
    },
  };
}

const setInPartnerCenter = (status: string, substatus: string) => async (world: World, _crmId: string, referralId: string) =>
  void unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, status, substatus } })));

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`a rebuilt link under the manual policy (${kind}, end to end)`, function () {
    this.timeout(120_000);

    it('marked received in Partner Center (a move either way): the record keeps its status and stage, says the command, and the admin settles it by the record ID', async () => {
      const s = await rebuiltInbound(kind, setInPartnerCenter('New', 'Received'));
      try {
        const [before] = await s.runtime.crm.getDeals([s.crmId]);
        const viewBefore = await s.world.seller.read(s.crmId);
        await s.sync();
        assert.equal(await s.sync(), 0, 'a further sync writes nothing');
        assert.deepEqual(s.runtime.store.listConflicts().map((c) => [c.crmId, c.fields]), [[s.crmId, ['status']]], 'the status waits for an admin');
        const [after] = await s.runtime.crm.getDeals([s.crmId]);
        const view = await s.world.seller.read(s.crmId);
        assert.deepEqual([after!.referral.status, after!.referral.substatus, after!.referral.salesStage], [before!.referral.status, before!.referral.substatus, before!.referral.salesStage], 'status and stage unchanged on the record');
        assert.deepEqual([view.stage, view.referralStatus], [viewBefore.stage, viewBefore.referralStatus]);
        assert.equal(view.syncState, 'conflict');
        assert.ok(view.syncMessage!.includes(`cosell conflicts resolve ${s.crmId} --take crm|partner-center`), view.syncMessage);
        assert.doesNotMatch(view.syncMessage!, /type Partner Center's value/);

        assert.match(await s.cosell(['conflicts', 'resolve', s.crmId, '--take', 'partner-center']), /^Conflict \d+ settled for partner-center/);
        await s.sync();
        assert.equal(await s.sync(), 0);
        const settled = await s.world.seller.read(s.crmId);
        assert.deepEqual([settled.syncState, settled.referralStatus], ['synced', 'New/Received']);
        assert.deepEqual(s.runtime.store.listConflicts(), []);
      } finally {
        await s.close();
      }
    });

    // Partner Center's status moves only forward (New → Active → Closed): the side further along moved it,
    // the other did not, so there is nothing for an admin to choose (merge/rebuild.ts, settledBy 'lifecycle').
    it('accepted in Partner Center: the acceptance is taken without a conflict, and the record says synced', async () => {
      const s = await rebuiltInbound(kind, setInPartnerCenter('Active', 'Accepted'));
      try {
        await s.sync();
        assert.equal(await s.sync(), 0, 'a further sync writes nothing');
        assert.deepEqual(s.runtime.store.listConflicts(), []);
        const view = await s.world.seller.read(s.crmId);
        assert.deepEqual([view.syncState, view.referralStatus], ['synced', 'Active/Accepted']);
      } finally {
        await s.close();
      }
    });

    it('accepted and moved on in the CRM: the acceptance and the stage reach Partner Center without a conflict', async () => {
      const s = await rebuiltInbound(kind, async (world, crmId) => {
        await world.seller.accept(crmId);
        await world.seller.setStage(crmId, 'Qualified');
      });
      try {
        await s.sync();
        assert.equal(await s.sync(), 0);
        const pc = referralOf(s.world, s.referralId);
        assert.deepEqual([pc.status, pc.substatus, pc.salesStage], ['Active', 'Accepted', 'Qualify'], "the seller's answer and stage sent");
        assert.deepEqual(s.runtime.store.listConflicts(), []);
        assert.equal((await s.world.seller.read(s.crmId)).syncState, 'synced');
      } finally {
        await s.close();
      }
    });
  });
}
