/**
 * Scale: 10,000 changed opportunities are read and 10,000 status updates written back, counted by the
 * sandbox. A first run reads them with a plain expanded query, one call per page, then lists them once
 * with change tracking for the delta link (one call per page); writes cost one `$batch` per 1,000 updates.
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
    assert.equal(pages.length, 41, 'the 40 read pages and the listing\'s last page');

    const readCounts = h.dataverse.counters.snapshot();
    const statuses: CrmWrite[] = deals.map((d) => ({ kind: 'status', key: d.crmId, crmId: d.crmId, status: { state: 'synced', message: '', lastSyncedAt: '2026-11-23T12:00:00Z' } }));
    const results = await h.adapter.write(statuses);
    assert.equal(results.length, 10_000);
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));

    const counts = h.dataverse.counters.snapshot();
    const writeBatches = (counts['POST $batch'] ?? 0) - (readCounts['POST $batch'] ?? 0);
    assert.ok(writeBatches <= 10, `$batch write calls: ${writeBatches}`);
    assert.equal(counts['$batch operations']! - (readCounts['$batch operations'] ?? 0), 10_000);
    // A first run of several pages (connectors/dynamics/first-read.ts): the run's first $batch brings the plain
    // read's page one (with tracking page one, not used, and the child tables' first pages), each further
    // page is a GET of its own (39); then the change-tracking listing that gets the delta link: its first
    // page in a $batch with the child tables' second pages, 39 more GETs, every row known (read above), none
    // read again. 80 calls for 40 pages, where the tracking listing read each page back in full (40 calls) but
    // listed the write-backs made meanwhile again (at 5,000 a page) and the next run listed them once more.
    // Then one $batch asks which of the 10,000 rows read or listed still exist (a row deleted while the
    // tokenless listing pages is in no answer): 40 IN queries of 250 IDs in it.
    assert.equal(readCounts['POST $batch'], 3);
    assert.equal(readCounts['GET opportunities'], 78);
    assert.equal(readCounts['$batch GET opportunities'], 3 + 10_000 / 250);
    assert.equal((readCounts['$batch GET cosell_teammembers'] ?? 0) + (readCounts['$batch GET cosell_solutions'] ?? 0), 4);
    assert.equal((readCounts['GET cosell_teammembers'] ?? 0) + (readCounts['GET cosell_solutions'] ?? 0), 0);
    const total = Object.entries(counts).filter(([label]) => !label.startsWith('$batch ')).reduce((sum, [, n]) => sum + n, 0);
    assert.ok(total <= 81 + 10, `total calls ${total}: ${JSON.stringify(counts)}`);
    const row = h.dataverse.store.table('opportunity')!.rows.get(deals[9_999]!.crmId)!;
    assert.equal(row.cosell_syncstate, 'synced');
  });
});
