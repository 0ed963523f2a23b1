/**
 * One benchmark scenario — one CRM at one size — in a fresh sandbox host: seed N opted-in deals, then
 * measure the initial sync, an idle cycle right after it, an idle cycle after a quiet period and the one after that, and a cycle
 * with 1% changed on each side; each phase with its minimum calls (minimums.ts) and its floor (floor.ts).
 */
import type { CrmKind } from '../sandbox/world.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngineHost, type EngineHost } from './engine-client.js';
import { measureFloor } from './floor.js';
import { measurePhase, type PhaseResult } from './measure.js';
import { changedWork, IDLE_WORK, initialWork, minimumFor, type PhaseWork } from './minimums.js';
import type { HostReplies, Seeding } from './protocol.js';
import type { RecordSamples } from './record-samples.js';
import { startSandboxHost } from './sandbox-client.js';

export interface ScenarioResult {
  crm: CrmKind;
  size: number;
  seeding: Seeding;
  seedMs: number;
  /** Referrals of our partner in Partner Center after the initial sync (should be N). */
  referralsAfterInitial: number;
  crmDealsEdited: HostReplies['editCrm'];
  referralsChanged: number;
  phases: PhaseResult[];
  error?: string;
}

/** 1% on each side; the CRM edits and the Partner Center changes are offset so they hit different deals (no conflicts). */
const CHANGED_SHARE = 0.01;
/** Longer than every re-read window of the change feeds (Partner Center 120 s, Salesforce 300 s). */
export const QUIET_PERIOD_MS = 320_000;

/**
 * Adds the phase's minimum calls and its floor, measured now, on the same machine, with records of the
 * sizes the sandboxes hold (taken after the phase was measured, so the sampling is not in its CPU).
 */
async function withMinimum(phase: PhaseResult, crm: CrmKind, work: PhaseWork, records: number, samples: () => Promise<RecordSamples>): Promise<PhaseResult> {
  const minimum = minimumFor(crm, work);
  return { ...phase, minimum, floor: await measureFloor(minimum.parts, await samples()), records };
}

export async function runScenario(crm: CrmKind, size: number, seeding: Seeding, maxInitialMinutes: number, progress: (line: string) => void): Promise<ScenarioResult> {
  const tag = `${crm} N=${size} from ${seeding}`;
  const host = await startSandboxHost();
  const result: ScenarioResult = { crm, size, seeding, seedMs: 0, referralsAfterInitial: 0, crmDealsEdited: { edited: 0, refused: 0 }, referralsChanged: 0, phases: [] };
  const dir = mkdtempSync(join(tmpdir(), `cosell-bench-${crm}-`));
  let engine: EngineHost | undefined;
  // The records are sampled once, after the initial sync (the phases after it change a note or nothing).
  let sampled: Promise<RecordSamples> | undefined;
  const samples = () => (sampled ??= host.request({ op: 'samples', kind: crm }));
  try {
    engine = await startEngineHost(host);
    await engine.request({ op: 'open', config: await host.request({ op: 'config', kind: crm, dir }) });
    const seedStart = performance.now();
    await host.request({ op: 'seed', kind: crm, count: size, from: seeding });
    result.seedMs = Math.round(performance.now() - seedStart);
    const { openReferrals } = await host.request({ op: 'measure' });
    progress(`${tag}: seeded ${size} deals in ${seeding} in ${result.seedMs} ms; initial sync…`);

    // The time limit stops the engine between pages; what it committed stays, and the phase says partial.
    const stopAt = Date.now() + maxInitialMinutes * 60_000;
    const initial = await withMinimum(await measurePhase(host, engine, 'initial sync', 6, stopAt), crm, initialWork(seeding, size, openReferrals), size, samples);
    result.phases.push(initial);
    result.referralsAfterInitial = initial.sandbox.referrals;
    progress(`${tag}: initial sync ${(initial.wallMs / 1000).toFixed(1)} s in ${initial.runs} runs (${initial.outcome})`);
    if (initial.outcome !== 'ok') {
      const made = (initial.engineCounts.pcCreated ?? 0) + (initial.engineCounts.crmCreated ?? 0);
      result.error = `stopped at --max-initial-minutes ${maxInitialMinutes}: ${made} of ${size} deals linked; later phases skipped`;
      return result;
    }

    const idle = await withMinimum(await measurePhase(host, engine, 'idle, right after', 1), crm, IDLE_WORK, 0, samples);
    result.phases.push(idle);
    await host.request({ op: 'advanceClock', ms: QUIET_PERIOD_MS });
    await engine.request({ op: 'advanceClock', ms: QUIET_PERIOD_MS });
    const quiet = await withMinimum(await measurePhase(host, engine, `idle, after ${QUIET_PERIOD_MS / 1000} s quiet`, 1), crm, IDLE_WORK, 0, samples);
    result.phases.push(quiet);
    // The run after the quiet one is what a daemon pays every cycle: the quiet run was the first past the
    // feeds' late-commit margins and settled the bulk by listing it once more (connectors/partner-center/README.md).
    const settled = await withMinimum(await measurePhase(host, engine, 'idle, settled', 1), crm, IDLE_WORK, 0, samples);
    result.phases.push(settled);
    progress(`${tag}: idle cycles ${(idle.wallMs / 1000).toFixed(1)} s, after a quiet period ${(quiet.wallMs / 1000).toFixed(1)} s, settled ${(settled.wallMs / 1000).toFixed(1)} s`);

    const note = `Bench change ${new Date().toISOString()}`;
    const count = Math.max(1, Math.round(size * CHANGED_SHARE));
    result.crmDealsEdited = await host.request({ op: 'editCrm', kind: crm, count, offset: 0, note });
    result.referralsChanged = await host.request({ op: 'changePartnerCenter', count, offset: 0.5, note });
    if (result.crmDealsEdited.refused > 0) progress(`${tag}: the CRM refused ${result.crmDealsEdited.refused} edits: ${result.crmDealsEdited.firstRefusal}`);
    const edited = result.crmDealsEdited.edited;
    const changed = await withMinimum(await measurePhase(host, engine, '1% changed each side', 4), crm, changedWork(edited, result.referralsChanged), edited + result.referralsChanged, samples);
    result.phases.push(changed);
    progress(`${tag}: 1% change cycle ${(changed.wallMs / 1000).toFixed(1)} s in ${changed.runs} runs`);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    progress(`${tag}: failed: ${result.error}`);
  } finally {
    await engine?.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
