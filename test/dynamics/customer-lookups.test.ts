/**
 * The run after many accounts and contacts changed (the run after an initial sync from Partner Center, which
 * created an account and a contact a deal, lists all of them) looks up the opportunities using them in one
 * `$batch` of IN queries (customer-changes.ts), not one GET per 250 rows; and every deal whose account or
 * contact changed is still read again with the new values.
 */
import assert from 'node:assert/strict';
import type { CrmCursor } from '../../core/engine/crm-port.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

/** HTTP calls the Web API answered (a `$batch` is one; its operations are counted apart, as `$batch …`). */
const callsOf = (counts: Record<string, number>) => Object.entries(counts).filter(([label]) => !label.startsWith('$batch ') && !label.startsWith('fault:')).reduce((n, [, c]) => n + c, 0);

describe('Dynamics 365 adapter: the opportunities of many changed accounts and contacts', function () {
  this.timeout(120_000);
  let h: DynamicsHarness;
  afterEach(async () => h?.close());

  it('are looked up in one call, and each deal is read again with its new customer', async () => {
    h = await startDynamicsHarness({ pageSize: 5000 });
    await h.adapter.setup();
    // 1,500 deals: 300 accounts (five deals each) and a contact each.
    seedOpportunities(h, 1500);
    const first = await collect(h.adapter.readChanges(undefined));
    const cursor = first.at(-1)!.cursor as CrmCursor;
    const store = h.dataverse.store;
    const opportunities = [...store.table('opportunity')!.rows.values()];
    const accounts = [...new Set(opportunities.map((o) => String(o._parentaccountid_value)))];
    const contacts = [...new Set(opportunities.map((o) => String(o._parentcontactid_value)))];
    assert.deepEqual([accounts.length, contacts.length], [300, 1500]);
    // 100 accounts renamed (500 deals) and the contacts of the other 1,000 deals edited: look-up queries of 250
    // IDs on both tables (8 in the sandbox, one GET each before), and every deal is read again only if both
    // tables' look-ups are answered.
    const renamed = new Set(accounts.slice(0, 100));
    for (const id of renamed) await h.control('seller/edit', { entitySet: 'accounts', id, changes: { name: `Account ${id} renamed` } });
    const edited = opportunities.filter((o) => !renamed.has(String(o._parentaccountid_value)));
    for (const o of edited) await h.control('seller/edit', { entitySet: 'contacts', id: String(o._parentcontactid_value), changes: { firstname: 'Renamed' } });

    h.dataverse.counters.reset();
    const next = await collect(h.adapter.readChanges(cursor));
    const counts = h.dataverse.counters.snapshot();
    assert.equal(counts['GET opportunities'] ?? 0, 0, `no look-up on its own: ${JSON.stringify(counts)}`);
    // The run's first call, the look-ups, and the deals read again.
    assert.equal(callsOf(counts), 3, JSON.stringify(counts));

    const deals = new Map(next.flatMap((p) => p.deals).map((d) => [d.crmId.toLowerCase(), d]));
    assert.equal(deals.size, 1500, 'every deal read again');
    for (const o of opportunities.filter((row) => renamed.has(String(row._parentaccountid_value)))) {
      assert.equal(deals.get(String(o.opportunityid).toLowerCase())!.referral.customer.name, `Account ${String(o._parentaccountid_value)} renamed`);
    }
  });
});
