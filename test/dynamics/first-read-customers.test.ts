/**
 * Review of the first run's plain read (connectors/dynamics/first-read.ts): an account renamed after the
 * plain read handed its deals on, while the run goes on (the engine's writes, the change-tracking listing),
 * must reach those deals in the next run. The next run asks accounts changed since the cursor's mark
 * (customer-changes.ts: `customersThrough`, else `watermark`); the first run's last cursor takes the
 * delta cursor's watermark, the listing's last answer less five minutes, not the time of the read.
 */
import assert from 'node:assert/strict';
import type { CrmChangePage, CrmCursor } from '../../core/engine/crm-port.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 adapter: an account renamed during a first run of several pages', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;
  afterEach(async () => h?.close());

  it('reaches the deals read before the rename, in the next run', async () => {
    h = await startDynamicsHarness({ pageSize: 5 });
    await h.adapter.setup();
    seedOpportunities(h, 12);
    const store = h.dataverse.store;
    const pages: CrmChangePage[] = [];
    let served = 0;
    let renamed = false;
    let first = '';
    for await (const page of h.adapter.readChanges(undefined)) {
      pages.push(page);
      served += page.deals.length;
      if (served >= 5 && !renamed) {
        renamed = true;
        // The read handed its first page on; a seller renames the account of its first deal, and the rest
        // of the run (the read's pages, the engine's writes, the listing) takes a while (a 50,000-deal first
        // run takes minutes).
        first = pages[0]!.deals[0]!.crmId;
        const accountId = String(store.table('opportunity')!.rows.get(first)!._parentaccountid_value);
        await h.control('seller/edit', { entitySet: 'accounts', id: accountId, changes: { name: 'Renamed During The First Run' } });
        await h.control('clock', { advanceMs: 10 * 60_000 });
      }
    }
    assert.ok(renamed);
    const last = pages.at(-1)!.cursor as CrmCursor;
    const next = await collect(h.adapter.readChanges(last));
    const names = new Map(next.flatMap((p) => p.deals).map((d) => [d.crmId, d.referral.customer.name]));
    assert.equal(names.get(first), 'Renamed During The First Run', `deals of the renamed account read again (next run read ${names.size} deals; cursor ${JSON.stringify({ watermark: last.watermark, customersThrough: last.customersThrough })})`);
  });
});
