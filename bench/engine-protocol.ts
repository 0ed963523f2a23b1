/**
 * The messages between the benchmark and its engine host (a child process running the compiled engine,
 * dist-bench/bench/engine-host.js), so that the engine's CPU time and memory are the shipped engine's alone:
 * no TypeScript loader, no benchmark bookkeeping, no sandboxes.
 */
import type { CosellConfigInput } from '../config/schema.js';
import type { RunReport } from '../core/engine/sync-engine.js';
import type { SoakProbe } from './soak-probe.js';

export type EngineRequest =
  /**
   * Validates the config, signs in to Partner Center (device code: the host sends a `deviceCode` event) and runs the CRM's setup;
   * `logFile`: the engine logs at info level to this file, as `cosell run` with `logging.file` does (silent otherwise).
   */
  | { op: 'open'; config: CosellConfigInput; logFile?: string }
  /** Starts a phase's measures: collects the heap, then samples RSS and counts CPU from here. */
  | { op: 'startPhase' }
  /** One sync run; `stopAt` (epoch ms) stops it between pages, as SIGTERM would. */
  | { op: 'sync'; stopAt?: number }
  /** One turn of `cosell run` (core/cli/locked-run.ts): the runner lock and its heartbeat, the run, the notifications step. */
  | { op: 'turn' }
  /** The engine process's memory after a forced collection, its open handles and the state store's files (soak-probe.ts). */
  | { op: 'probe' }
  /** Writes a V8 heap snapshot of the engine process to `file` (after a full collection), for finding what grew. */
  | { op: 'heapSnapshot'; file: string }
  /** The phase's CPU time and peak RSS since `startPhase`. */
  | { op: 'endPhase' }
  /** Moves the engine's clock forward (the sandboxes' clock moves with it, through the sandbox host). */
  | { op: 'advanceClock'; ms: number }
  | { op: 'close' };

export interface EngineTurn {
  /** Absent when another holder had the runner lock (the turn was skipped, as `cosell run` skips it). */
  report?: RunReport;
  wallMs: number;
  cpuMs: number;
}

export interface EngineRun {
  report: RunReport;
  wallMs: number;
  cpuMs: number;
}

export interface EnginePhase {
  cpuMs: number;
  peakRssMb: number;
  /** The highest V8 heap in use seen at the RSS samples (live objects and not yet collected garbage). */
  peakHeapUsedMb: number;
  /** The highest V8 heap reserved, and the highest memory held outside it for JavaScript objects (Buffers). */
  peakHeapTotalMb: number;
  peakExternalMb: number;
}

export interface EngineReplies {
  open: true;
  startPhase: true;
  sync: EngineRun;
  turn: EngineTurn;
  probe: SoakProbe;
  heapSnapshot: string;
  endPhase: EnginePhase;
  advanceClock: true;
  close: true;
}

/** Sent by the engine host on its own while `open` waits: the code to approve in the Entra sandbox. */
export interface DeviceCodeEvent {
  event: 'deviceCode';
  userCode: string;
}
