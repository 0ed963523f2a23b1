/**
 * The dashboard at `/` of `cosell serve` (startServe with the dashboard plugin, as `cosell serve` runs
 * it): the page answers beside `/readyz`, and its health panel shows the service's own readiness checks.
 */
import assert from 'node:assert/strict';
import { dashboardForServe } from '../../core/dashboard/serve-plugin.js';
import { startServe, type RunningService } from '../../core/serve/start.js';
import { startWorld, type World } from '../../sandbox/world.js';

describe('the dashboard mounted in cosell serve', function () {
  this.timeout(120_000);
  let world: World;
  let running: RunningService;

  before(async () => {
    world = await startWorld('salesforce');
    const started = await startServe({ runtime: world.runtime, owner: 'dashboard-serve-test', settings: { port: 0, pollIntervalMinutes: 60 }, now: () => world.set.clock.now(), plugins: [dashboardForServe] });
    assert.ok(!('lockedBy' in started));
    running = started;
  });
  after(async () => {
    await running?.stop();
    await world?.close();
  });

  it('serves the page at / with the /readyz checks in its health panel', async () => {
    const readyz = (await (await fetch(`${running.url}/readyz`)).json()) as { checks: { name: string }[] };
    const page = await fetch(`${running.url}/`);
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /<title>Co-sell status · cosell-connector<\/title>/);
    for (const check of readyz.checks) assert.ok(body.includes(`data-check="${check.name}"`), `the health panel shows the ${check.name} check`);
    const status = (await (await fetch(`${running.url}/api/status`)).json()) as { readiness?: { checks: unknown[] } };
    assert.equal(status.readiness?.checks.length, readyz.checks.length);
  });
});
