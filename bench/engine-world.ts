/**
 * The engine's side of a benchmark world, in this process: the same config, real Partner Center sign-in
 * (device code approved by the sandbox host's Entra sandbox), CRM `setup()` and `runSyncOnce` as
 * `sandbox/world.ts` uses, but talking to sandboxes in another process.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../config/load.js';
import { loginPartnerCenter } from '../connectors/partner-center/index.js';
import { openRuntime, type Runtime } from '../core/cli/runtime.js';
import { runSyncOnce, type RunReport } from '../core/engine/sync-engine.js';
import { silentLogger } from '../core/logger.js';
import type { CrmKind } from '../sandbox/world.js';
import type { SandboxHost } from './sandbox-client.js';

export interface EngineWorld {
  runtime: Runtime;
  /** One sync run; `signal` stops it between pages (the engine reports a partial run). */
  sync(signal?: AbortSignal): Promise<RunReport>;
  /** Moves the engine's clock and the sandboxes' shared clock forward together: a quiet period, at once. */
  advanceClock(ms: number): Promise<void>;
  close(): void;
}

export async function openEngineWorld(host: SandboxHost, kind: CrmKind): Promise<EngineWorld> {
  const dir = mkdtempSync(join(tmpdir(), `cosell-bench-${kind}-`));
  process.env.COSELL_TOKEN_KEY ??= randomBytes(32).toString('base64');
  const input = await host.request({ op: 'config', kind, dir });
  const config = validateConfig({
    ...input,
    sync: { ...input.sync, conflictPolicy: 'newest-wins', holdWonHours: 72, intervalMinutes: 5, defaultLocation: 'loc-us-redmond' },
    logging: { level: 'silent' },
  });
  await loginPartnerCenter(config.partnerCenter, { onPrompt: (prompt) => void host.request({ op: 'approve', userCode: prompt.userCode }) });
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
    async advanceClock(ms) {
      await host.request({ op: 'advanceClock', ms });
      offsetMs += ms;
    },
    close() {
      runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
