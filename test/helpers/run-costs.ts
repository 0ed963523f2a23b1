/**
 * What one sync run of an end-to-end world costs: its calls a side as the services bill them (token calls
 * aside; the CRM's counted by its sandbox), its writes and its report, after moving the sandbox clock on.
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import type { RunReport } from '../../core/engine/sync-engine.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
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

/** A run's cost as the idle-cost tests compare it: calls a side, writes, and CRM records read in full. */
export interface IdleCost {
  pc: number;
  crm: number;
  writes: number;
  crmRead: number;
}

/** `count` runs `advanceMs` apart, each one's cost. */
export async function idleCosts(w: World, count: number, advanceMs: number): Promise<IdleCost[]> {
  const runs: IdleCost[] = [];
  for (let i = 0; i < count; i++) {
    const { pc, crm, writes, report } = await costedRun(w, advanceMs);
    runs.push({ pc, crm, writes, crmRead: report.counts.crmRead ?? 0 });
  }
  return runs;
}

/** What each of `runs` costs when nothing changed (issue 13): one call a side, nothing written or read. */
export const quietCosts = (runs: readonly unknown[]): IdleCost[] => runs.map(() => ({ pc: 1, crm: 1, writes: 0, crmRead: 0 }));

/**
 * A synced deal (made by `make`, a new deal by default), then runs until past every re-read margin: the
 * records changed next are the only ones the runs see. Returns the deal's CRM ID.
 */
export async function installPastMargins(w: World, make: () => Promise<string> = () => w.seller.createDeal(dealSpec('Synced deal'))): Promise<string> {
  const synced = await make();
  await w.syncToQuiet();
  // (Dynamics 365's second run also starts tracking its child tables: calls of its own, once per install.)
  w.set.clock.advance(6 * 60_000);
  await w.sync();
  return synced;
}
