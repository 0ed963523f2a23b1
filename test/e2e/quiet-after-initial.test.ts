/**
 * Convergence and echo suppression (issue 13), both CRMs, at a small size: N opted-in CRM deals, one
 * initial sync. The run after it writes nothing and reads nothing back from the CRM — the referrals it
 * created and the status it wrote onto each record are the engine's own echoes, which used to cost a
 * CRM read per Partner Center page and a full re-read of every record — and an idle run after that
 * makes one CRM call (token calls aside), although the bulk and an account changed moments before.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { seedCrmDeals } from '../../bench/seed.js';
import type { CallCounter } from '../../sandbox/common/counters.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';

const DEALS = 120;

/**
 * CRM calls of an idle run: one. Salesforce: one Composite call (listing, related-row and customer changes,
 * getDeleted). Dynamics: one $batch of GETs (the delta links of the opportunity and of its three child
 * tables, and the accounts and contacts changed since the last run), connectors/dynamics/feed-run.ts.
 */
const IDLE_CRM_CALLS: Record<CrmKind, number> = { salesforce: 1, dynamics: 1 };

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) {
  describe(`quiet after the initial sync (${kind}, ${DEALS} outbound deals)`, function () {
    this.timeout(180_000);
    let world: World;
    before(async () => {
      world = await startWorld(kind);
    });
    after(async () => world?.close());

    const crmCounter = (): CallCounter => (kind === 'salesforce' ? world.set.salesforce.counters : world.set.dataverse.counters);

    it('creates every referral in one run, then writes and reads back nothing, then idles on the fewest CRM calls the feed needs', async () => {
      // The sellers' deals exist from before (outside the window's margin for late commits, which re-reads
      // what others changed in it); the bulk change measured here is the initial sync's own.
      world.set.clock.advance(-10 * 60_000);
      seedCrmDeals(kind, world.set, DEALS);
      world.set.clock.advance(10 * 60_000);
      const initial = await world.sync();
      assert.equal(initial.outcome, 'ok');
      assert.equal(initial.counts.pcCreated, DEALS);

      // Whole links (each with its base, a whole referral) loaded for pages: an echo is told from the link's versions alone.
      const store = world.runtime.store;
      const pageSnapshot = store.pageSnapshot.bind(store);
      let wholeLinksLoaded = 0;
      store.pageSnapshot = (keys) => {
        const snapshot = pageSnapshot(keys);
        wholeLinksLoaded += snapshot.links.length;
        return snapshot;
      };
      const second = await world.sync();
      store.pageSnapshot = pageSnapshot;
      assert.equal(wholeLinksLoaded, 0, 'no whole link loaded for an echo');
      assert.equal(second.counts.echoes, DEALS, JSON.stringify(second.counts));
      assert.equal(second.writes, 0, `the second run wrote: ${JSON.stringify(second.counts)}`);
      assert.equal(second.counts.pcRead, DEALS, 'Partner Center hands back every referral the first run created');
      assert.equal(second.counts.crmReadCalls ?? 0, 0, 'no CRM read for a referral the engine created itself');
      assert.equal(second.counts.crmRead ?? 0, 0, 'no CRM record read back for the status the engine wrote onto it');

      // An account (shared by a few deals) edited alone, then synced: the idle run after it asks again from that edit's second
      // (whole-second stamps), and must not look up that account's opportunities a second time.
      const open = world.runtime.store.listLinks({ limit: DEALS }).filter((l) => l.base.status !== 'Closed');
      await world.seller.editAccount(open[0]!.crmId, { city: 'Bellevue' });
      const customer = await world.sync();
      assert.ok((customer.counts.pcUpdated ?? 0) >= 1, JSON.stringify(customer.counts));

      crmCounter().reset();
      const idle = await world.sync();
      assert.equal(idle.writes, 0);
      const calls = billedCalls(crmCounter().snapshot());
      assert.equal(calls.total, IDLE_CRM_CALLS[kind], `an idle run's CRM calls: ${JSON.stringify(calls.byEndpoint)}`);

      // And a seller's edit after all that is still seen and sent.
      // An open deal: Partner Center takes nothing more for a closed one (the seeding spreads deals over every stage).
      await world.seller.edit(open[1]!.crmId, { notes: 'Edited after the bulk' });
      const next = await world.sync();
      assert.equal(next.counts.crmRead, 1, JSON.stringify(next.counts));
      assert.equal(next.counts.pcUpdated, 1, JSON.stringify(next.counts));
    });
  });
}
