/**
 * A tenant whose latest cycle failed is shown as failing: tenant-job.ts records the outcome as
 * `failed: <why>`, and the dashboard's health compared it with "failed", so a tenant whose every cycle
 * was refused its sign-in showed as ready, with every check ok.
 */
import assert from 'node:assert/strict';
import type pg from 'pg';
import { renderWork, tenantReadiness } from '../../core/tenants/tenant-work-view.js';

const at = (iso: string) => new Date(iso);
function workRow(outcome: string): pg.Pool {
  const row = {
    cycle_wanted_at: at('2026-12-05T18:54:00Z'),
    cycle_done_for: at('2026-12-05T18:54:00Z'),
    cycle_started_at: at('2026-12-05T18:54:03Z'),
    cycle_ended_at: at('2026-12-05T18:54:04Z'),
    last_outcome: outcome,
  };
  return { query: async () => ({ rows: [row] }) } as unknown as pg.Pool;
}

describe("a tenant's work record as its health", () => {
  const refused = "failed: The sync cycle of tenant badsf failed: Salesforce refused the connector's credentials during sign-in";

  it('a failed latest cycle makes the tenant not ready, with the failing check', async () => {
    const health = await tenantReadiness(workRow(refused), 'badsf');
    assert.equal(health.ready, false);
    assert.deepEqual(health.checks.map((c) => [c.name, c.ok]), [['cycles', true], ['latest-cycle', false]]);
    assert.match(health.checks[1]!.detail, /Salesforce refused/);
  });

  it('status does not call a failing tenant up to date', async () => {
    const health = await tenantReadiness(workRow(refused), 'badsf');
    assert.doesNotMatch(health.checks[0]!.detail, /up to date/);
    assert.match(health.checks[0]!.detail, /failed and waits for the next occurrence of the schedule/);
  });

  it('an ok latest cycle stays ready and up to date', async () => {
    const health = await tenantReadiness(workRow('ok'), 'contoso');
    assert.equal(health.ready, true);
    assert.match(renderWork({ cycleWantedAt: 'x', cycleDoneFor: 'x', lastOutcome: 'ok', cycleDue: false })[0]!, /up to date/);
  });
});
