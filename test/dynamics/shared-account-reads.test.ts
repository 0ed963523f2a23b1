/**
 * A changed account reaches every deal that uses it, whatever wrote the deal since (customer-reads.ts): the
 * deal is read again when the version of the account it was last read with is older. Found by the
 * model-based test (Dynamics 365 seeds 1407, 1505, 1507, 1512): the connector's own write to a deal after
 * its account changed made the deal look newer than the change, and its referral kept the old customer.
 */
import assert from 'node:assert/strict';
import type { CrmCursor, KnownVersions } from '../../core/engine/crm-port.js';
import { etagOf } from '../../sandbox/dataverse/format.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 adapter: an account shared by deals, changed before the connector wrote one of them', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;
  afterEach(async () => h?.close());

  const lastCursor = async (cursor: CrmCursor | undefined, known?: KnownVersions) => {
    const pages = await collect(h.adapter.readChanges(cursor, known));
    return { cursor: pages.at(-1)!.cursor, deals: pages.flatMap((p) => p.deals) };
  };

  /** Two deals on one account, in a set-up org. */
  const twoDealsOfOneAccount = async () => {
    h = await startDynamicsHarness();
    await h.adapter.setup();
    const store = h.dataverse.store;
    const [first, second] = seedOpportunities(h, 2);
    return { store, first, second, accountId: String(store.table('opportunity')!.rows.get(first!)!._parentaccountid_value) };
  };

  it('reads the deal again, and a run never committed leaves what it read unknown', async () => {
    const { store, first, second, accountId } = await twoDealsOfOneAccount();
    assert.equal(store.table('opportunity')!.rows.get(second!)!._parentaccountid_value, accountId, 'one account for both deals');
    const initial = await lastCursor(undefined);

    store.update('account', accountId, { name: 'Renamed While Synced' });
    // The connector's own write to the second deal (its sync status), made without reading it again: the
    // engine holds the version it wrote, so the opportunity's own change is an echo.
    store.update('opportunity', second!, { cosell_syncmessage: 'Synced' });
    const ownWrite = etagOf(store.table('opportunity')!.rows.get(second!)!);
    const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => id === second && version === ownWrite };

    const names = (deals: Awaited<ReturnType<typeof lastCursor>>['deals']) => new Map(deals.map((d) => [d.crmId, d.referral.customer.name]));
    const stopped = await lastCursor(initial.cursor, known);
    assert.equal(names(stopped.deals).get(second!), 'Renamed While Synced', 'the deal the connector wrote is read with the renamed account');
    assert.equal(names(stopped.deals).get(first!), 'Renamed While Synced');

    // That run stopped before the engine committed it: run again from the cursor before it.
    const again = await lastCursor(initial.cursor, known);
    assert.equal(names(again.deals).get(second!), 'Renamed While Synced', 'a read never committed does not count as handled');

    const idle = await lastCursor(again.cursor, known);
    assert.deepEqual(idle.deals, [], 'once committed, the change is not read again');
  });

  it("reads the deal again when the engine read it after the run's last page and lost that work (a crash before its commit)", async () => {
    const { store, first, second, accountId } = await twoDealsOfOneAccount();
    const run = await lastCursor((await lastCursor(undefined)).cursor);
    // After the run's last page (its cursor naming the run), the engine reads the deal again (a deal whose
    // customer it wrote through another deal, a parked record) and is stopped before committing that work.
    store.update('account', accountId, { name: 'Renamed After The Last Page' });
    const [reread] = await h.adapter.getDeals([second!]);
    assert.equal(reread?.referral.customer.name, 'Renamed After The Last Page');
    const next = await lastCursor(run.cursor);
    const names = new Map(next.deals.map((d) => [d.crmId, d.referral.customer.name]));
    assert.equal(names.get(second!), 'Renamed After The Last Page', 'the lost read does not count as handled');
    assert.equal(names.get(first!), 'Renamed After The Last Page');
  });
});
