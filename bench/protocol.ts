/**
 * The messages between the benchmark (the engine's process) and its sandbox host (a child process), so
 * that the engine's CPU time and memory are measured without the four sandboxes' work mixed in.
 */
import type { CosellConfigInput } from '../config/schema.js';
import type { CrmKind } from '../sandbox/world.js';

export type HostRequest =
  | { op: 'config'; kind: CrmKind; dir: string }
  | { op: 'approve'; userCode: string }
  | { op: 'seed'; kind: CrmKind; count: number }
  | { op: 'editCrm'; kind: CrmKind; every: number; offset: number; note: string }
  | { op: 'changePartnerCenter'; every: number; offset: number; note: string }
  | { op: 'resetCounters' }
  | { op: 'measure' }
  | { op: 'close' };

/** One side's call counts since the last reset, by endpoint label, and their total. */
export interface SideCalls {
  total: number;
  byEndpoint: Record<string, number>;
}

/** The host's own counters and usage since the last `resetCounters`. */
export interface HostMeasure {
  partnerCenter: SideCalls;
  crm: SideCalls;
  /** The sandboxes' CPU time (user + system), in milliseconds. */
  sandboxCpuMs: number;
  sandboxPeakRssMb: number;
  /** Referrals of our partner in the Partner Center sandbox. */
  referrals: number;
}

export interface HostReplies {
  config: CosellConfigInput;
  approve: true;
  seed: number;
  editCrm: number;
  changePartnerCenter: number;
  resetCounters: true;
  measure: HostMeasure;
  close: true;
}

export type HostMessage = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
