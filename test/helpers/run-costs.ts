/**
 * What one sync run of an end-to-end world costs: its calls a side as the services bill them (token calls
 * aside; the CRM's counted by its sandbox), its writes and its report, after moving the sandbox clock on.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { RunReport } from '../../core/engine/sync-engine.js';
import type { World } from '../../sandbox/world.js';

export interface RunCost {
  pc: number;
  crm: number;
  writes: number;
  report: RunReport;
}

const crmCalls = (w: World): number => billedCalls((w.kind === 'salesforce' ? w.set.salesforce.counters : w.set.dataverse.counters).snapshot()).total;

/** Moves the clock on by `advanceMs`, then runs one sync, which must end ok. */
export async function costedRun(w: World, advanceMs: number): Promise<RunCost> {
  w.set.clock.advance(advanceMs);
  const before = crmCalls(w);
  const report = await w.sync();
  assert.equal(report.outcome, 'ok', report.message);
  return { pc: report.partnerCenterCalls, crm: crmCalls(w) - before, writes: report.writes, report };
}
