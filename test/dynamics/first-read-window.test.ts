/**
 * A first run of several pages reads the opportunities with a plain query and only then lists them with
 * change tracking for the delta link (connectors/dynamics/first-read.ts). What sellers do in between (after
 * the read handed a row on, before the listing names it) still reaches the engine, under every reading of
 * change tracking the sandbox offers: an edit and a create in that run's listing, a deletion on its last page;
 * and the run after lists none of it again.
 */
import assert from 'node:assert/strict';
import type { CrmChangePage, CrmCursor } from '../../core/engine/crm-port.js';
import { CHANGE_TRACKING_READINGS, collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

const READINGS = CHANGE_TRACKING_READINGS;

describe('Dynamics 365 adapter: the first run\'s read, then its change-tracking listing', function () {
  this.timeout(60_000);
  let h: DynamicsHarness;
  afterEach(async () => h?.close());

  for (const reading of READINGS) {
    it(`hands on a seller's edit, create and delete made between them (pages ${reading.pages}, token ${reading.token})`, async () => {
      h = await startDynamicsHarness({ pageSize: 5 });
      await h.adapter.setup();
      await h.control('change-tracking', reading);
      seedOpportunities(h, 12);
      h.dataverse.counters.reset();
      const pages: CrmChangePage[] = [];
      let served = 0;
      let edited: string | undefined;
      let deleted: string | undefined;
      let created: string | undefined;
      for await (const page of h.adapter.readChanges(undefined)) {
        pages.push(page);
        served += page.deals.length;
        if (served === 12 && !edited) {
          // The read has handed every row on; the listing has not started.
          assert.equal(h.dataverse.counters.get('GET opportunities') ?? 0, 2, 'the read: page one in the first $batch, two more GETs');
          const ids = pages.flatMap((p) => p.deals.map((d) => d.crmId));
          [edited, deleted] = [ids[3]!, ids[7]!];
          await h.control('seller/edit', { id: edited, changes: { name: 'Edited after the read' } });
          await h.control('seller/delete', { id: deleted });
          created = (await h.control<{ opportunityid: string }>('seller/create', { entitySet: 'opportunities', values: { name: 'Created after the read' } })).opportunityid;
        }
      }
      const afterRead = pages.slice(3);
      const handedOn = afterRead.flatMap((p) => p.deals);
      assert.deepEqual(handedOn.map((d) => d.referral.dealName).sort(), ['Created after the read', 'Edited after the read']);
      assert.deepEqual(new Set(handedOn.map((d) => d.crmId)), new Set([edited, created]));
      assert.deepEqual(afterRead.flatMap((p) => p.deletedIds), [deleted]);
      const last = pages.at(-1)!.cursor as CrmCursor;
      assert.equal(last.mode, 'delta', 'the listing\'s last page carries the delta link');
      assert.ok(pages.slice(0, -1).every((p) => p.cursor.mode === 'listing'), 'every earlier page keeps the listing cursor');

      const next = await collect(h.adapter.readChanges(last));
      assert.deepEqual(next.flatMap((p) => [...p.deals.map((d) => d.crmId), ...p.deletedIds]), [], 'the run after lists none of it again');
    });
  }

  it('a run after one stopped before the delta link lists afresh and has the engine check deletions', async () => {
    h = await startDynamicsHarness({ pageSize: 5 });
    await h.adapter.setup();
    const ids = seedOpportunities(h, 12);
    const cursor: CrmCursor = { mode: 'listing', issuedAt: new Date().toISOString(), watermark: null };
    const pages = await collect(h.adapter.readChanges(cursor));
    assert.equal(pages[0]!.deletionsIncomplete, true);
    assert.deepEqual(new Set(pages.flatMap((p) => p.deals.map((d) => d.crmId))), new Set(ids), 'nothing known: every row read in full');
    assert.equal(pages.at(-1)!.cursor.mode, 'delta');
  });
});
