/**
 * A seller's edit made while the adapter pages a change-tracking listing reaches the engine by the next
 * run at the latest, under every reading of the documents the Dataverse sandbox offers (its README,
 * "Change tracking while a listing is paged"): a row changed after the first page may come again on a
 * later page of the same listing, in the next delta, or both. The adapter keeps the delta link of the
 * listing's last page, whatever the reading.
 */
import assert from 'node:assert/strict';
import type { CrmCursor } from '../../core/engine/crm-port.js';
import { CHANGE_TRACKING_READINGS, collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

const READINGS = CHANGE_TRACKING_READINGS;

describe('Dynamics 365 adapter: edits made while a change-tracking listing is paged', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;
  afterEach(async () => h?.close());

  // A first run reads several pages with a plain query before it lists them (connectors/dynamics/first-read.ts);
  // a run after one stopped before its delta link (`listing`) pages a change-tracking listing from the start.
  const STARTS: { name: string; cursor: CrmCursor | undefined }[] = [
    { name: 'first run', cursor: undefined },
    { name: 'fresh listing', cursor: { mode: 'listing', issuedAt: new Date().toISOString(), watermark: null } },
  ];
  for (const reading of READINGS) for (const start of STARTS) {
    it(`delivers them in the same run or the next (${start.name}, pages ${reading.pages}, token ${reading.token})`, async () => {
      h = await startDynamicsHarness({ pageSize: 5 });
      await h.adapter.setup();
      await h.control('change-tracking', reading);
      const ids = seedOpportunities(h, 23);
      const served = new Set<string>();
      const afterEdit: { crmId: string; dealName: string }[] = [];
      let cursor: CrmCursor | undefined;
      let edited: string[] = [];
      for await (const page of h.adapter.readChanges(start.cursor)) {
        if (edited.length) afterEdit.push(...page.deals.map((d) => ({ crmId: d.crmId, dealName: d.referral.dealName })));
        for (const deal of page.deals) served.add(deal.crmId);
        cursor = page.cursor;
        if (!edited.length) {
          // One row the listing has handed over already, one it has not reached (under change tracking the
          // newest version; the first run's plain read goes by ID).
          edited = [[...served][0]!, ids.filter((id) => !served.has(id)).at(-1)!];
          assert.ok(!served.has(edited[1]!));
          for (const id of edited) await h.control('seller/edit', { id, changes: { name: `Edited while paging ${id}` } });
        }
      }
      const next = (await collect(h.adapter.readChanges(cursor))).flatMap((p) => p.deals.map((d) => ({ crmId: d.crmId, dealName: d.referral.dealName })));
      // A snapshot listing leaves out a row whose listed version was replaced before it got there: the next delta has it.
      assert.equal(new Set([...served, ...next.map((d) => d.crmId)]).size, 23, 'every opportunity is handed over');
      for (const id of edited) {
        assert.ok([...afterEdit, ...next].some((d) => d.crmId === id && d.dealName === `Edited while paging ${id}`), `the edit of ${id} reached the engine`);
      }
      const third = (await collect(h.adapter.readChanges((await collect(h.adapter.readChanges(cursor))).at(-1)!.cursor))).flatMap((p) => p.deals);
      assert.deepEqual(third, [], 'and nothing is listed for ever after');
    });
  }
});
