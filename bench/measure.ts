/**
 * Measures one benchmark phase, run by run: wall time, the engine's CPU time and peak memory (this
 * process), the API calls each sandbox counted, and the sandboxes' own CPU and memory (the host process).
 */
import type { RunReport } from '../core/engine/sync-engine.js';
import type { Floor } from './floor.js';
import type { Minimum } from './minimums.js';
import type { HostMeasure } from './protocol.js';
import { collectHeap, RssSampler } from './rss-sampler.js';
import type { SandboxHost } from './sandbox-client.js';

/** One sync run of a phase. */
export interface RunFigures {
  run: number;
  outcome: string;
  /** Writes the engine made in the run (0: the run found nothing to do). */
  writes: number;
  wallMs: number;
  engineCpuMs: number;
  partnerCenterCalls: number;
  crmCalls: number;
  sandboxCpuMs: number;
}

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
  perRun: RunFigures[];
  /** The fewest calls the phase can cost (minimums.ts), and what those calls cost a bare server (floor.ts). */
  minimum?: Minimum;
  floor?: Floor;
  /** Records the phase had to carry over (for CPU per record). */
  records?: number;
}

const sampler = new RssSampler();

/** Syncs until a run writes nothing or fails, at most `maxRuns` times, measuring each run. */
export async function measurePhase(host: SandboxHost, phase: string, sync: () => Promise<RunReport>, maxRuns: number): Promise<PhaseResult> {
  await host.request({ op: 'resetCounters' });
  // Start from a collected heap so that one phase's garbage does not count against the next.
  collectHeap();
  sampler.restart();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const reports: RunReport[] = [];
  const perRun: RunFigures[] = [];
  let before: HostMeasure = await host.request({ op: 'measure' });
  for (let i = 0; i < maxRuns; i += 1) {
    const runCpu = process.cpuUsage();
    const runStart = performance.now();
    const report = await sync();
    const wallMs = Math.round(performance.now() - runStart);
    const cpu = process.cpuUsage(runCpu);
    const after = await host.request({ op: 'measure' });
    reports.push(report);
    perRun.push({
      run: i + 1,
      outcome: report.outcome,
      writes: report.writes,
      wallMs,
      engineCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      partnerCenterCalls: after.partnerCenter.total - before.partnerCenter.total,
      crmCalls: after.crm.total - before.crm.total,
      sandboxCpuMs: Math.round(after.sandboxCpuMs - before.sandboxCpuMs),
    });
    before = after;
    if (report.outcome !== 'ok' || report.writes === 0) break;
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const enginePeakRssMb = sampler.peakMb();
  sampler.stop();
  const sandbox = before;
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
    perRun,
  };
}
