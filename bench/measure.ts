/**
 * Measures one benchmark phase: wall time, the engine's CPU time and peak memory (this process), the
 * API calls each sandbox counted, and the sandboxes' own CPU and memory (the host process).
 */
import type { RunReport } from '../core/engine/sync-engine.js';
import type { HostMeasure } from './protocol.js';
import { collectHeap, RssSampler } from './rss-sampler.js';
import type { SandboxHost } from './sandbox-client.js';

export interface PhaseResult {
  phase: string;
  /** Sync runs in the phase (a phase syncs until a run writes nothing). */
  runs: number;
  outcome: string;
  wallMs: number;
  engineCpuMs: number;
  enginePeakRssMb: number;
  partnerCenterCalls: number;
  crmCalls: number;
  /** The engine's own tallies summed over the runs (pcCreated, crmUpdated, …), for cross-checking. */
  engineCounts: Record<string, number>;
  sandbox: HostMeasure;
}

const sampler = new RssSampler();

/** Syncs until a run writes nothing or fails, at most `maxRuns` times. */
export async function syncUntilQuiet(sync: () => Promise<RunReport>, maxRuns = 4): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  for (let i = 0; i < maxRuns; i += 1) {
    const report = await sync();
    reports.push(report);
    if (report.outcome !== 'ok' || report.writes === 0) break;
  }
  return reports;
}

export async function measurePhase(host: SandboxHost, phase: string, action: () => Promise<RunReport[]>): Promise<PhaseResult> {
  await host.request({ op: 'resetCounters' });
  // Start from a collected heap so that one phase's garbage does not count against the next.
  collectHeap();
  sampler.restart();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const reports = await action();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const enginePeakRssMb = sampler.peakMb();
  sampler.stop();
  const sandbox = await host.request({ op: 'measure' });
  const engineCounts: Record<string, number> = {};
  for (const report of reports) for (const [key, n] of Object.entries(report.counts)) engineCounts[key] = (engineCounts[key] ?? 0) + n;
  const failed = reports.find((r) => r.outcome !== 'ok');
  return {
    phase,
    runs: reports.length,
    outcome: failed ? `${failed.outcome}: ${failed.message ?? ''}` : 'ok',
    wallMs: Math.round(wallMs),
    engineCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    enginePeakRssMb,
    partnerCenterCalls: sandbox.partnerCenter.total,
    crmCalls: sandbox.crm.total,
    engineCounts,
    sandbox,
  };
}
