/**
 * Opportunities a seller deleted stay deleted when the state store is lost or rebuilt (`cosell state
 * rebuild`): the next sync links each referral that names a deleted record as orphaned again, as the lost
 * store had it, and creates nothing. Found walking the README with Dynamics 365 on 2026-12-06: after
 * `cosell state rebuild`, a deleted "Pipeline deal 5" came back as a new opportunity, because its referral's
 * CRM reference named a record the CRM no longer had. A referral naming another system's key (a bulk CSV
 * import's `csv-…`) is still made in the CRM.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { runSyncOnce } from '../../core/engine/sync-engine.js';
import { createLogger } from '../../core/logger.js';
import { openRuntime } from '../../core/cli/runtime.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind } from '../../sandbox/world.js';
import { unwrap } from './lifecycle.suite.js';
import { loseStore } from './lost-store.suite.js';

const MINUTE = 60_000;

for (const kind of ['dynamics', 'salesforce'] as CrmKind[]) describe(`deleted opportunities after a lost state store (${kind}, end to end)`, function () {
  this.timeout(120_000);

  it('are linked as orphaned again, never made again; a referral naming another system\'s key is still made', async () => {
    const world = await startWorld(kind);
    try {
      const outbound = await world.seller.createDeal(dealSpec('Deleted before the store was lost'));
      const inbound = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Inbound deleted before the store was lost' } }));
      await world.syncToQuiet();
      const outboundReferral = (await world.seller.read(outbound)).referralId!;
      const [inboundRecord] = await world.seller.recordsForReferral(inbound.id);
      assert.ok(outboundReferral && inboundRecord, 'both deals are paired');
      world.set.clock.advance(MINUTE);
      await world.seller.deleteDeal(outbound);
      await world.seller.deleteDeal(inboundRecord!);
      await world.syncToQuiet();
      // Another system's key in Partner Center's CRM reference (as a bulk CSV import writes it).
      const foreign = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Named by another system' } }));
      unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, foreign.id, (json) => ({ ok: true, value: { ...json, externalReferenceId: 'csv-0123456789abcdef' } })));

      loseStore(world);
      const runtime = await openRuntime({ config: world.runtime.config, logger: createLogger({ level: 'silent' }), now: () => world.set.clock.now() });
      try {
        const sync = () => runSyncOnce(runtime.engineDeps(), { policy: 'newest-wins', holdWonHours: 72, defaultLocation: 'loc-us-redmond' });
        await sync();
        assert.deepEqual(await world.seller.recordsForReferral(outboundReferral), [], 'the deleted outbound deal is not made again');
        assert.deepEqual(await world.seller.recordsForReferral(inbound.id), [], 'nor the deleted inbound one');
        for (const referralId of [outboundReferral, inbound.id]) assert.equal(runtime.store.getLinkByReferralId(referralId)?.state, 'crm-deleted', referralId);
        assert.equal((await world.seller.recordsForReferral(foreign.id)).length, 1, 'the referral naming a csv- key is made in the CRM');
        assert.equal((await sync()).writes, 0, 'a further sync writes nothing');
      } finally {
        runtime.close();
      }
    } finally {
      await world.close();
    }
  });
});
