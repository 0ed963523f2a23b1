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
import { silentLogger } from '../core/logger.js';

export interface EngineWorld {
  runtime: Runtime;
  /** One sync run; `signal` stops it between pages (the engine reports a partial run). */
  sync(signal?: AbortSignal): Promise<RunReport>;
  /** Moves the engine's clock forward (the caller moves the sandboxes' shared clock with it). */
  advanceClock(ms: number): void;
  close(): void;
}

/** `approve` is called with the device code to approve in the Entra sandbox. */
export async function openEngineWorld(input: CosellConfigInput, approve: (userCode: string) => void): Promise<EngineWorld> {
  process.env.COSELL_TOKEN_KEY ??= randomBytes(32).toString('base64');
  const config = validateConfig({
    ...input,
    sync: { ...input.sync, conflictPolicy: 'newest-wins', holdWonHours: 72, intervalMinutes: 5, defaultLocation: 'loc-us-redmond' },
    logging: { level: 'silent' },
  });
  await loginPartnerCenter(config.partnerCenter, { onPrompt: (prompt) => approve(prompt.userCode) });
  // The engine's clock agrees with the sandboxes' shared clock: both move only together (advanceClock).
  let offsetMs = 0;
  const runtime = await openRuntime({ config, logger: silentLogger(), now: () => new Date(Date.now() + offsetMs) });
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
    advanceClock(ms) {
      offsetMs += ms;
    },
    close() {
      runtime.close();
    },
  };
}
