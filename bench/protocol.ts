/**
 * The messages between the benchmark (the engine's process) and its sandbox host (a child process), so
 * that the engine's CPU time and memory are measured without the four sandboxes' work mixed in.
 */
import type { CosellConfigInput } from '../config/schema.js';
import type { CrmKind } from '../sandbox/world.js';
import type { RecordSamples } from './record-samples.js';

/**
 * Where the N deals start: `crm` — N opted-in CRM opportunities, which the initial sync creates as
 * referrals in Partner Center (one POST each); `partner-center` — N referrals of our partner already in
 * Partner Center, which the initial sync creates as CRM opportunities (batched CRM writes).
 */
export type Seeding = 'crm' | 'partner-center';

export type HostRequest =
  | { op: 'config'; kind: CrmKind; dir: string }
  | { op: 'approve'; userCode: string }
  | { op: 'seed'; kind: CrmKind; count: number; from: Seeding }
  /** `count` deals, evenly spread over all of them; `offset` (0–1) shifts the picks so the two sides differ. */
  | { op: 'editCrm'; kind: CrmKind; count: number; offset: number; note: string }
  | { op: 'changePartnerCenter'; count: number; offset: number; note: string }
  /** Moves the sandboxes' shared clock forward: a quiet period without waiting for it. */
  | { op: 'advanceClock'; ms: number }
  | { op: 'resetCounters' }
  | { op: 'measure' }
  /** One record of each side, as the floor carries it (record-samples.ts). */
  | { op: 'samples'; kind: CrmKind }
  | { op: 'close' };

/** One side's call counts since the last reset, by endpoint label, and the calls the service bills (billing.ts). */
export interface SideCalls {
  /** Billed API calls: HTTP requests, a composite or `$batch` counting once, token requests apart. */
  total: number;
  /** Token requests (OAuth), not in `total`. */
  tokenCalls: number;
  /** Work inside composite or `$batch` requests (subrequests, operations), not in `total`. */
  subrequests: number;
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
  /** Of those, the ones not closed (Partner Center locks closed ones). */
  openReferrals: number;
}

export interface HostReplies {
  config: CosellConfigInput;
  approve: true;
  seed: number;
  /** Deals edited, and edits the CRM refused (e.g. a validation rule on a closed deal). */
  editCrm: { edited: number; refused: number; firstRefusal?: string };
  changePartnerCenter: number;
  advanceClock: true;
  resetCounters: true;
  measure: HostMeasure;
  samples: RecordSamples;
  close: true;
}

export type HostMessage = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
