/**
 * The metrics of a process that runs several tenants' syncs (a worker): one registry, each run recorded
 * under its tenant, and the parked-record and open-conflict gauges read from each tenant's own store in
 * PostgreSQL when scraped (so they are current, and a removed tenant drops out). A tenant whose store
 * cannot be read is left out of the gauges and marked unreadable, instead of failing the whole scrape.
 */
import assert from 'node:assert/strict';
import { CosellMetrics, type RunFigures } from '../../core/serve/metrics.js';
import { pgStateStore } from '../../core/store/pg/pg-store.js';
import { gaugeSourcesOf, pgTenantDirectory } from '../../core/tenants/tenant-directory.js';
import { removeTenant } from '../../core/tenants/tenant-registry.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { seedTwoTenants } from '../tenants/observability-fixtures.js';

const figures = (outcome: string, counts: Record<string, number>): RunFigures => ({ outcome, counts, partnerCenterCalls: 3 });
const series = (text: string) => text.split('\n').filter((line) => line.startsWith('cosell_') && !line.startsWith('cosell_process_'));

describe('metrics: one registry for many tenants (PostgreSQL)', function () {
  this.timeout(60_000);
  const opened = useThrowawayPgDatabase();
  before(async () => seedTwoTenants(opened().db, new Date()));

  it('records each run under its tenant and reads each tenant\'s gauges from its store at every scrape', async () => {
    const { db } = opened();
    const metrics = new CosellMetrics({ gauges: () => gaugeSourcesOf(pgTenantDirectory(db)), usage: () => [{ tenant: 'fabrikam', service: 'dynamics-365', remaining: 5990 }] });
    metrics.recordRun('contoso', 'poll', figures('ok', { pcRead: 4, crmRead: 2, crmCreated: 1, crmReadCalls: 2 }), 1.5, 'salesforce');
    metrics.recordRun('fabrikam', 'targeted', figures('partial', { pcRead: 1 }), 0.2, 'dynamics-365');
    metrics.observeLag('fabrikam', 4);

    const first = series((await metrics.text()).body);
    for (const line of [
      'cosell_runs_total{tenant="contoso",kind="poll",outcome="ok"} 1',
      'cosell_runs_total{tenant="fabrikam",kind="targeted",outcome="partial"} 1',
      'cosell_run_duration_seconds_count{tenant="contoso",kind="poll"} 1',
      'cosell_records_read_total{tenant="contoso",side="partner-center"} 4',
      'cosell_records_written_total{tenant="contoso",side="crm"} 1',
      'cosell_api_calls_total{tenant="contoso",service="salesforce"} 2',
      'cosell_api_calls_total{tenant="fabrikam",service="partner-center"} 3',
      'cosell_inbound_lag_seconds_count{tenant="fabrikam"} 1',
      'cosell_parked_records{tenant="contoso"} 1',
      'cosell_parked_records{tenant="fabrikam"} 1',
      'cosell_open_conflicts{tenant="contoso"} 1',
      'cosell_open_conflicts{tenant="fabrikam"} 0',
      'cosell_tenant_state_readable{tenant="contoso"} 1',
      'cosell_api_budget_remaining{tenant="fabrikam",service="dynamics-365"} 5990',
    ]) assert.ok(first.includes(line), `missing ${line} in:\n${first.join('\n')}`);
    assert.ok(!first.some((l) => l.startsWith('cosell_runs_total{tenant="contoso",kind="targeted"')), "one tenant's run is not counted for another");

    // Read when scraped: a park written since shows at once; a removed tenant's gauges drop out, its counters stay.
    const fabrikam = await pgStateStore(db, 'fabrikam');
    await fabrikam.transaction((tx) => tx.park({ side: 'crm', recordId: 'fab-crm-2', fingerprint: 'h', parkedAt: '2026-12-04T11:00:00.000Z', attempts: 1, reasons: [] }));
    assert.ok(series((await metrics.text()).body).includes('cosell_parked_records{tenant="fabrikam"} 2'));
    assert.equal(await removeTenant(db.pool, 'fabrikam'), true);
    const after = series((await metrics.text()).body);
    assert.ok(!after.some((l) => l.startsWith('cosell_parked_records{tenant="fabrikam"}') || l.startsWith('cosell_open_conflicts{tenant="fabrikam"}')), after.join('\n'));
    assert.ok(after.includes('cosell_parked_records{tenant="contoso"} 1'));
    assert.ok(after.includes('cosell_runs_total{tenant="fabrikam",kind="targeted",outcome="partial"} 1'));
  });

  it("leaves a tenant whose store cannot be read out of the gauges, marks it unreadable, and still answers", async () => {
    const failing = { countParked: async () => Promise.reject(new Error('connection lost')), listConflicts: async () => Promise.reject(new Error('connection lost')) };
    const metrics = new CosellMetrics({ gauges: () => [{ tenant: 'ok-tenant', store: { countParked: () => 7, listConflicts: () => [] } }, { tenant: 'lost', store: failing }] });
    const lines = series((await metrics.text()).body);
    assert.ok(lines.includes('cosell_parked_records{tenant="ok-tenant"} 7'));
    assert.ok(!lines.some((l) => l.startsWith('cosell_parked_records{tenant="lost"}')));
    assert.ok(lines.includes('cosell_tenant_state_readable{tenant="lost"} 0'), lines.join('\n'));
    assert.ok(lines.includes('cosell_tenant_state_readable{tenant="ok-tenant"} 1'));
  });
});
