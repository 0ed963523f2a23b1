/**
 * Scale: 10,000 changed opportunities are read and 10,000 status updates written back, counted by the
 * sandbox. Reads cost one call per page (a `$batch` with the page's expanded IN-filtered queries and
 * the next change-tracking page); writes cost one `$batch` per 1,000 updates.
 */
import assert from 'node:assert/strict';
import type { CrmWrite } from '../../core/engine/crm-port.js';
import { collect, seedOpportunities, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

describe('Dynamics 365 adapter at scale', function () {
  this.timeout(90_000);
  let h: DynamicsHarness;
  before(async () => {
    h = await startDynamicsHarness({ pageSize: 250 });
    await h.adapter.setup();
    seedOpportunities(h, 10_000, { teamPerDeal: 1, solutionsPerDeal: 1 });
    h.dataverse.counters.reset();
  });
  after(async () => h.close());

  it('reads 10,000 changed opportunities and writes back 10,000 statuses in at most 10 $batch calls plus the read pages', async () => {
    const pages = await collect(h.adapter.readChanges(undefined));
    const deals = pages.flatMap((p) => p.deals);
    assert.equal(deals.length, 10_000);
    assert.equal(new Set(deals.map((d) => d.crmId)).size, 10_000);
    assert.ok(deals.every((d) => d.referral.team.length === 1 && d.referral.solutions.length === 1 && d.referral.customer.name !== ''));
    assert.equal(pages.length, 40);

    const readCounts = h.dataverse.counters.snapshot();
    const statuses: CrmWrite[] = deals.map((d) => ({ kind: 'status', key: d.crmId, crmId: d.crmId, status: { state: 'synced', message: '', lastSyncedAt: '2026-11-23T12:00:00Z' } }));
    const results = await h.adapter.write(statuses);
    assert.equal(results.length, 10_000);
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));

    const counts = h.dataverse.counters.snapshot();
    const writeBatches = (counts['POST $batch'] ?? 0) - (readCounts['POST $batch'] ?? 0);
    assert.ok(writeBatches <= 10, `$batch write calls: ${writeBatches}`);
    assert.equal(counts['$batch operations']! - (readCounts['$batch operations'] ?? 0), 10_000);
    // One change-tracking GET and one hydrating GET per page, in one $batch with the next page's tracking
    // GET (the last page's read goes alone), plus the stage list. The child tables' first listing (10,000
    // team and 10,000 solution rows, 5,000 per page) rides in $batches with the first two tracking
    // requests: it costs no call of its own.
    assert.equal(readCounts['GET opportunities']! + (readCounts['$batch GET opportunities'] ?? 0), 2 * pages.length);
    assert.equal(readCounts['POST $batch'], pages.length);
    assert.equal(readCounts['GET opportunities'], 1);
    assert.equal((readCounts['$batch GET cosell_teammembers'] ?? 0) + (readCounts['$batch GET cosell_solutions'] ?? 0), 4);
    assert.equal((readCounts['GET cosell_teammembers'] ?? 0) + (readCounts['GET cosell_solutions'] ?? 0), 0);
    const total = Object.entries(counts).filter(([label]) => !label.startsWith('$batch ')).reduce((sum, [, n]) => sum + n, 0);
    assert.ok(total <= pages.length + 10 + 2, `total calls ${total}: ${JSON.stringify(counts)}`);
    const row = h.dataverse.store.table('opportunity')!.rows.get(deals[9_999]!.crmId)!;
    assert.equal(row.cosell_syncstate, 'synced');
  });
});
