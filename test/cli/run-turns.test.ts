/**
 * Each turn of `cosell run` is a run of its own for Partner Center, as each poll of `cosell serve` is: a
 * new `MS-CorrelationId` and a fresh `partnerCenter > requestBudget` ("the run's request budget"). Until
 * 2026-12-05 `cosell run` kept one client's counters for its whole life: every turn logged the same
 * correlation ID, and once the turns together had made `requestBudget` requests every later turn stopped
 * at its first call, for as long as the process lived. And a turn leaves nothing on the stop signal the
 * process keeps for all its turns (found by the soak, bench/soak.ts).
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { lockedRun } from '../../core/cli/locked-run.js';
import { openRuntime, type Runtime } from '../../core/cli/runtime.js';
import { validateConfig } from '../../config/load.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { signalsFollowing } from '../helpers/signal-followers.js';

describe('cosell run: each turn is a new Partner Center run', function () {
  this.timeout(120_000);
  let world: World;
  let runtime: Runtime | undefined;

  before(async () => {
    world = await startWorld('salesforce');
    const config = world.runtime.config;
    // One long-lived runtime, as `cosell run` keeps; an idle turn makes one Partner Center request.
    runtime = await openRuntime({ config: validateConfig({ ...config, partnerCenter: { ...config.partnerCenter, requestBudget: 3 } }), now: () => world.set.clock.now() });
  });
  after(async () => {
    runtime?.close();
    await world.close();
  });

  it('five idle turns each finish, under a request budget of 3 per run, each with its own correlation ID', async () => {
    const ids = new Set<string>();
    for (let turn = 1; turn <= 5; turn += 1) {
      const result = await lockedRun(runtime!, 'run@test:1');
      assert.ok('report' in result);
      assert.equal(result.report.outcome, 'ok', `turn ${turn}: ${result.report.message ?? ''}`);
      ids.add(runtime!.partnerCenterClient.correlationId);
    }
    assert.equal(ids.size, 5, 'a correlation ID per turn');
  });

  it('turns that share the process\'s stop signal, as `cosell run` passes it to every turn, leave nothing on it', async () => {
    // AbortSignal.any([stop, lost]) per turn left an entry on `stop` that Node 20 never removes: one per turn
    // for the daemon's life (core/run-stop.ts).
    const stop = new AbortController();
    for (let turn = 1; turn <= 3; turn += 1) {
      const result = await lockedRun(runtime!, 'run@test:1', { stop: stop.signal });
      assert.ok('report' in result && result.report.outcome === 'ok');
    }
    assert.equal(signalsFollowing(stop.signal), 0);
    assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
  });
});
