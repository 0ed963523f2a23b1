/**
 * Accounts changed since the last run are found by the listing's own query (account-changes.ts), not by a
 * sixth query operation in the run's first Composite call, which Salesforce refuses (composite-limits.ts;
 * the sandbox refuses it too: sandbox/salesforce/composite-limits.ts). Against the sandbox: an idle run is
 * one Composite call within the limits; a seller's account edit brings back every deal of that account, and
 * only those, with the new name, whether its rows fill one batch or several, and also for a deal whose last
 * save was the connector's own (left out of the listing's window, listed for its account alone).
 */
import assert from 'node:assert/strict';
import type { CrmChangePage, CrmCursor, CrmDeal } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from '../../connectors/salesforce/client.js';
import { seedOptedIn, startSalesforceHarness, type SalesforceHarness } from '../helpers/salesforce-harness.js';

interface Run {
  deals: CrmDeal[];
  cursor: CrmCursor;
  pages: CrmChangePage[];
}

describe('Salesforce adapter: account changes found by the listing', function () {
  this.timeout(120_000);
  let h: SalesforceHarness;
  let ids: string[];
  let cursor: CrmCursor;

  /** A whole run; `duringRun` acts after the first page, before the run's anchor is made (as the engine's writes do). */
  const run = async (from: CrmCursor | undefined, duringRun?: () => Promise<void>): Promise<Run> => {
    const pages: CrmChangePage[] = [];
    for await (const page of h.adapter.readChanges(from)) {
      if (pages.length === 0 && duringRun) await duringRun();
      pages.push(page);
    }
    return { deals: pages.flatMap((p) => p.deals), cursor: pages[pages.length - 1]!.cursor, pages };
  };
  const accountOf = (id: string) => String(h.sandbox.store.get('Opportunity', id)!.AccountId);
  const dealsOfAccount = (account: string) => ids.filter((id) => accountOf(id) === account).sort();
  const sorted = (deals: readonly CrmDeal[]) => deals.map((d) => d.crmId).sort();

  before(async () => {
    // Listing batches of 200 rows (Sforce-Query-Options batchSize), so that 450 rows take three.
    h = await startSalesforceHarness({ adapter: { pageSize: 200, rereadSeconds: 0 } });
    ids = seedOptedIn(h.sandbox, 450);
    cursor = (await run(undefined)).cursor;
    h.sandbox.clock.advance(2_000);
  });
  after(() => h?.close());

  it('an idle resumed run is one Composite call, within the limits, and lists nothing', async () => {
    h.sandbox.counters.reset();
    const idle = await run(cursor);
    assert.deepEqual(idle.deals, []);
    assert.equal(h.sandbox.counters.get('composite'), 1);
    assert.equal(h.sandbox.counters.get('composite:refused'), 0);
    cursor = idle.cursor;
  });

  it("a seller's account edit brings back every deal of that account, and no other, with the new name", async () => {
    const account = accountOf(ids[7]!);
    h.sandbox.clock.advance(2_000);
    assert.ok(h.sandbox.seller.editRecord('Account', account, { Name: 'Renamed by a seller' }).ok);
    h.sandbox.clock.advance(2_000);
    h.sandbox.counters.reset();
    const next = await run(cursor);
    assert.deepEqual(sorted(next.deals), dealsOfAccount(account));
    for (const deal of next.deals) assert.equal(deal.referral.customer?.name, 'Renamed by a seller');
    assert.equal(h.sandbox.counters.get('composite:refused'), 0);
    // Rows listed for their account alone move neither the position nor the watermark.
    for (const page of next.pages) assert.ok(String(page.cursor.modstamp) >= String(cursor.modstamp), 'the cursor never moves back');
    assert.equal(next.cursor.id, cursor.id);
    cursor = next.cursor;
  });

  it('an edit of every account (rows over three batches) brings back each deal once', async () => {
    h.sandbox.clock.advance(2_000);
    for (const account of new Set(ids.map(accountOf))) assert.ok(h.sandbox.seller.editRecord('Account', account, { Name: `Bulk ${account}` }).ok);
    h.sandbox.clock.advance(2_000);
    h.sandbox.counters.reset();
    const next = await run(cursor);
    assert.deepEqual(sorted(next.deals), [...ids].sort());
    for (const deal of next.deals) assert.equal(deal.referral.customer?.name, `Bulk ${accountOf(deal.crmId)}`);
    assert.equal(h.sandbox.counters.get('composite:refused'), 0);
    assert.equal(next.cursor.id, cursor.id);
    cursor = next.cursor;
  });

  it("an account edit reaches a deal whose last save was the connector's own", async () => {
    const ours = ids[123]!;
    h.sandbox.clock.advance(2_000);
    // The connector saves the opportunity during a run: the next window leaves that save out (feed-window.ts).
    const during = await run(cursor, async () => {
      const [result] = await h.adapter.write([{ kind: 'status', key: ours, crmId: ours, status: { state: 'synced', message: 'written by the connector' } }]);
      assert.equal(result?.ok, true);
      // The window's mark is the server's last Date header, whole seconds: a call a second later moves it past the save.
      h.sandbox.clock.advance(2_000);
      await (h.adapter as unknown as { client: SalesforceClient }).client.query('SELECT Id FROM Account LIMIT 1');
    });
    // A status write has no version to check: the writer names it to be read again (recheck). As after a
    // checked write, the record is left out of the next window: the cursor without it.
    const { recheck, ...anchored } = during.cursor;
    assert.equal(recheck, ours);
    cursor = anchored;
    assert.equal(typeof cursor.ownThrough, 'string', 'the window leaves the run’s own writes out');
    h.sandbox.clock.advance(2_000);
    const quiet = await run(cursor);
    assert.ok(!quiet.deals.some((d) => d.crmId === ours), 'its own save is not listed');
    cursor = quiet.cursor;
    h.sandbox.clock.advance(2_000);
    const account = accountOf(ours);
    assert.ok(h.sandbox.seller.editRecord('Account', account, { Name: 'Renamed after our save' }).ok);
    h.sandbox.clock.advance(2_000);
    const next = await run(cursor);
    assert.deepEqual(sorted(next.deals), dealsOfAccount(account));
    assert.equal(next.deals.find((d) => d.crmId === ours)?.referral.customer?.name, 'Renamed after our save');
  });
});
