/**
 * The engine's side of a benchmark world (in the engine host): the same config, real Partner Center
 * sign-in (device code, approved by the sandbox host's Entra sandbox), CRM `setup()` and `runSyncOnce`
 * as `sandbox/world.ts` uses, but talking to sandboxes in another process.
 */
import { randomBytes } from 'node:crypto';
import { validateConfig } from '../config/load.js';
import type { CosellConfigInput } from '../config/schema.js';
import { loginPartnerCenter } from '../connectors/partner-center/index.js';
import { openRuntime, type Runtime } from '../core/cli/runtime.js';
import { runSyncOnce, type RunReport } from '../core/engine/sync-engine.js';
import { lockedRun } from '../core/cli/locked-run.js';
import { runnerOwner } from '../core/cli/runner-lock.js';
import { createLogger, silentLogger } from '../core/logger.js';

export interface EngineWorld {
  runtime: Runtime;
  /** One sync run; `signal` stops it between pages (the engine reports a partial run). */
  sync(signal?: AbortSignal): Promise<RunReport>;
  /** One turn of `cosell run`: the run under the runner lock, then the notifications step; no report when the lock was held. */
  turn(): Promise<RunReport | undefined>;
  /** Moves the engine's clock forward (the caller moves the sandboxes' shared clock with it). */
  advanceClock(ms: number): void;
  close(): void;
}

/**
 * `approve` is called with the device code to approve in the Entra sandbox; with `logFile` the engine logs at
 * info level to it (the soak's daemon, whose logging is part of what it measures), silent otherwise.
 */
export async function openEngineWorld(input: CosellConfigInput, approve: (userCode: string) => void, logFile?: string): Promise<EngineWorld> {
  process.env.COSELL_TOKEN_KEY ??= randomBytes(32).toString('base64');
  const config = validateConfig({
    ...input,
    sync: { ...input.sync, conflictPolicy: 'newest-wins', holdWonHours: 72, intervalMinutes: 5, defaultLocation: 'loc-us-redmond' },
    logging: { level: 'silent' },
  });
  await loginPartnerCenter(config.partnerCenter, { onPrompt: (prompt) => approve(prompt.userCode) });
  // The engine's clock agrees with the sandboxes' shared clock: both move only together (advanceClock).
  let offsetMs = 0;
  const logger = logFile ? createLogger({ level: 'info', file: logFile }) : silentLogger();
  const runtime = await openRuntime({ config, logger, now: () => new Date(Date.now() + offsetMs) });
  // The owner a turn of `cosell run` takes the lock as, and the stop signal it passes to every turn, one for the
  // process's life (core/cli/commands/run.ts): what a turn leaves on it would pile up in a daemon.
  const owner = runnerOwner('run');
  const stop = new AbortController();
  await runtime.crm.setup();
  return {
    runtime,
    sync: (signal) =>
      runSyncOnce(runtime.engineDeps(), {
        ...(signal ? { signal } : {}),
        policy: config.sync.conflictPolicy,
        holdWonHours: config.sync.holdWonHours,
        ...(config.sync.defaultLocation ? { defaultLocation: config.sync.defaultLocation } : {}),
      }),
    async turn() {
      const result = await lockedRun(runtime, owner, { stop: stop.signal });
      return 'report' in result ? result.report : undefined;
    },
    advanceClock(ms) {
      offsetMs += ms;
    },
    close() {
      runtime.close();
    },
  };
}
