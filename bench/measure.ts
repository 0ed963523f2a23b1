/**
 * Measures one benchmark phase, run by run: wall time, the engine's CPU time and peak memory (the engine
 * host, which measures itself), the API calls each sandbox counted, and the sandboxes' own CPU and memory
 * (the sandbox host).
 */
import type { RunReport } from '../core/engine/sync-engine.js';
import type { EngineHost } from './engine-client.js';
import type { Floor } from './floor.js';
import type { Minimum } from './minimums.js';
import type { HostMeasure } from './protocol.js';
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
  /** The engine's highest V8 heap in use at the RSS samples (live objects and uncollected garbage). */
  enginePeakHeapMb: number;
  /** The engine's highest V8 heap reserved, and highest memory outside it for JavaScript objects (Buffers). */
  enginePeakHeapTotalMb: number;
  enginePeakExternalMb: number;
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

/** Syncs until a run writes nothing or fails, at most `maxRuns` times, measuring each run; `stopAt` (epoch ms) stops a run between pages. */
export async function measurePhase(host: SandboxHost, engine: EngineHost, phase: string, maxRuns: number, stopAt?: number): Promise<PhaseResult> {
  await host.request({ op: 'resetCounters' });
  await engine.request({ op: 'startPhase' });
  const started = performance.now();
  const reports: RunReport[] = [];
  const perRun: RunFigures[] = [];
  let before: HostMeasure = await host.request({ op: 'measure' });
  for (let i = 0; i < maxRuns; i += 1) {
    const { report, wallMs, cpuMs } = await engine.request({ op: 'sync', ...(stopAt === undefined ? {} : { stopAt }) });
    const after = await host.request({ op: 'measure' });
    reports.push(report);
    perRun.push({
      run: i + 1,
      outcome: report.outcome,
      writes: report.writes,
      wallMs,
      engineCpuMs: cpuMs,
      partnerCenterCalls: after.partnerCenter.total - before.partnerCenter.total,
      crmCalls: after.crm.total - before.crm.total,
      sandboxCpuMs: Math.round(after.sandboxCpuMs - before.sandboxCpuMs),
    });
    before = after;
    if (report.outcome !== 'ok' || report.writes === 0) break;
  }
  const wallMs = performance.now() - started;
  const engineFigures = await engine.request({ op: 'endPhase' });
  const sandbox = before;
  const engineCounts: Record<string, number> = {};
  for (const report of reports) for (const [key, n] of Object.entries(report.counts)) engineCounts[key] = (engineCounts[key] ?? 0) + n;
  const failed = reports.find((r) => r.outcome !== 'ok');
  return {
    phase,
    runs: reports.length,
    outcome: failed ? `${failed.outcome}: ${failed.message ?? ''}` : 'ok',
    wallMs: Math.round(wallMs),
    engineCpuMs: engineFigures.cpuMs,
    enginePeakRssMb: engineFigures.peakRssMb,
    enginePeakHeapMb: engineFigures.peakHeapUsedMb,
    enginePeakHeapTotalMb: engineFigures.peakHeapTotalMb,
    enginePeakExternalMb: engineFigures.peakExternalMb,
    partnerCenterCalls: sandbox.partnerCenter.total,
    crmCalls: sandbox.crm.total,
    engineCounts,
    sandbox,
    perRun,
  };
}
