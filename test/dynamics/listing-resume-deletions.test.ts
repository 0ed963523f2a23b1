/**
 * Review of the resumed listing (connectors/dynamics/first-read.ts, `listAfresh`): a run after one stopped
 * before its delta link lists afresh and says its deletions are incomplete, so the engine checks which
 * linked opportunities are gone. When that run is stopped too, among the engine pages of its first listing
 * page, the run after it must still check deletions: a tokenless listing names no deleted row.
 */
import assert from 'node:assert/strict';
import type { CrmChangePage, CrmCursor } from '../../core/engine/crm-port.js';
import { seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 adapter: a resumed listing stopped again before its delta link', function () {
  this.timeout(120_000);
  let h: DynamicsHarness;
  afterEach(async () => h?.close());

  it('leaves a cursor whose run checks deletions', async () => {
    h = await startDynamicsHarness({ pageSize: 5000 });
    await h.adapter.setup();
    const ids = seedOpportunities(h, 1200);
    const listing: CrmCursor = { mode: 'listing', issuedAt: new Date().toISOString(), watermark: null };
    // Run 2: takes the first engine page (1,000 deals of the listing's first page; deletions checked there) and is stopped.
    let stoppedAt: CrmChangePage | undefined;
    for await (const page of h.adapter.readChanges(listing)) {
      stoppedAt = page;
      break;
    }
    assert.equal(stoppedAt!.deletionsIncomplete, true);
    // A seller deletes a deal the engine linked from that page, after the engine's check.
    const gone = stoppedAt!.deals[0]!.crmId;
    assert.ok(ids.includes(gone));
    await h.control('seller/delete', { id: gone });
    // Run 3, from the cursor run 2's committed page left.
    const pages: CrmChangePage[] = [];
    for await (const page of h.adapter.readChanges(stoppedAt!.cursor)) pages.push(page);
    const told = pages.some((p) => p.deletionsIncomplete) || pages.some((p) => p.deletedIds.map((id) => id.toLowerCase()).includes(gone.toLowerCase()));
    assert.ok(told, `run 3 (cursor ${JSON.stringify(stoppedAt!.cursor.mode)} ${String(stoppedAt!.cursor.link ?? '')}) neither names the deletion nor says deletions are incomplete`);
  });
});
