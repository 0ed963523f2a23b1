/**
 * A whole co-sell world on one machine, for the demo, the end-to-end tests and the benchmark: the four
 * sandboxes, a config that syncs one CRM sandbox with the Partner Center sandbox, a real sign-in to
 * Partner Center (the device-code flow, approved through the Entra sandbox as a person would in the
 * browser, stored in the encrypted token cache), the CRM set up by `setup()`, and the real runtime.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loginPartnerCenter } from '../connectors/partner-center/index.js';
import { validateConfig } from '../config/load.js';
import type { CosellConfigInput } from '../config/schema.js';
import { engineOptionsFor, openRuntime, type Runtime } from '../core/cli/runtime.js';
import type { EngineOptions } from '../core/engine/context.js';
import { runSyncOnce, type RunReport } from '../core/engine/sync-engine.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { SANDBOX_USERS } from './entra/index.js';
import { startSandboxSet, type SandboxSet, type SandboxSetOptions } from './launch.js';
import { dataverseConsole } from './dataverse/console.js';
import { salesforceConsole } from './consoles/salesforce.js';
import type { SellerConsole } from './consoles/types.js';
import { OTHER_PARTNER_ORG } from './entra/seed.js';

export type CrmKind = 'salesforce' | 'dynamics';

const CONSOLES: Record<CrmKind, (set: SandboxSet) => Promise<SellerConsole>> = {
  salesforce: async (set) => salesforceConsole(set.salesforce),
  dynamics: async (set) => dataverseConsole(set.dataverse),
};

export interface World {
  kind: CrmKind;
  set: SandboxSet;
  runtime: Runtime;
  seller: SellerConsole;
  /** Partner Center as Microsoft and as another partner act in it. */
  microsoft: ReturnType<SandboxSet['partnerCenter']['actAs']>;
  otherPartner: ReturnType<SandboxSet['partnerCenter']['actAs']>;
  sync(options?: Partial<EngineOptions>): Promise<RunReport>;
  /** Syncs until a run writes nothing (at most `max` runs); returns the reports. */
  syncToQuiet(options?: Partial<EngineOptions>, max?: number): Promise<RunReport[]>;
  /**
   * Closes the runtime, runs `meanwhile` (another process at work on the connector's folder, such as
   * `cosell state rebuild`) and opens a new runtime on the same config, as the next `cosell` process would:
   * its own store and adapters. `runtime` is the new one from then on.
   */
  reopen(meanwhile: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions extends SandboxSetOptions {
  logger?: Logger;
  sync?: Partial<CosellConfigInput['sync']>;
  /** Fast retries for fault tests: cap every wait at a few milliseconds. */
  fastRetries?: boolean;
  /**
   * The connector's folder (state store, token cache, key files), kept after `close()`: a world started
   * again on it with the same `persistDir` is the same installation after a restart.
   */
  stateDir?: string;
  /** Sign in to Partner Center (default true); false reuses the sign-in already in `stateDir`'s token cache. */
  signIn?: boolean;
  /** Who signs in to Partner Center (default `admin`, a Referrals Admin; `seller` is a Referrals User). */
  signInAs?: keyof typeof SANDBOX_USERS;
  /** Run `setup()` on the CRM (default true); false leaves the org as a newcomer finds it, without the connector's fields. */
  setup?: boolean;
}

export async function startWorld(kind: CrmKind, options: WorldOptions = {}): Promise<World> {
  const set = await startSandboxSet({ seed: false, ...options });
  const dir = options.stateDir ?? mkdtempSync(join(tmpdir(), `cosell-${kind}-`));
  // The token cache is encrypted with a key from the environment; a world makes its own for its run.
  process.env.COSELL_TOKEN_KEY ??= randomBytes(32).toString('base64');
  const input = set.configFor(kind, dir);
  const config = validateConfig({
    ...input,
    partnerCenter: { ...input.partnerCenter, ...(options.fastRetries ? { retry: { retries: 10, baseMs: 1, maxMs: 5, maxRetryAfterMs: 5 } } : {}) },
    sync: { conflictPolicy: 'newest-wins', holdWonHours: 72, intervalMinutes: 5, defaultLocation: 'loc-us-redmond', ...options.sync },
    logging: { level: 'silent' },
  });
  if (options.signIn !== false) {
    await loginPartnerCenter(config.partnerCenter, { onPrompt: (prompt) => void set.entra.approveDeviceCode(prompt.userCode, SANDBOX_USERS[options.signInAs ?? 'admin'].username) });
  }
  const logger = options.logger ?? silentLogger();
  const open = () => openRuntime({ config, logger, now: () => set.clock.now() });
  let runtime = await open();
  if (options.setup !== false) await runtime.crm.setup();
  const seller = await CONSOLES[kind](set);

  const sync = (engine: Partial<EngineOptions> = {}) =>
    // The same options a `cosell sync` of this config runs with (core/cli/runtime.ts).
    runSyncOnce(runtime.engineDeps(), { ...engineOptionsFor(config), ...engine });

  return {
    kind,
    set,
    get runtime() {
      return runtime;
    },
    seller,
    microsoft: set.partnerCenter.actAs('msft'),
    otherPartner: set.partnerCenter.actAs(OTHER_PARTNER_ORG),
    sync,
    async syncToQuiet(engine = {}, max = 6) {
      const reports: RunReport[] = [];
      for (let i = 0; i < max; i += 1) {
        const report = await sync(engine);
        reports.push(report);
        if (report.outcome !== 'ok' || report.writes === 0) break;
      }
      return reports;
    },
    async reopen(meanwhile) {
      runtime.close();
      try {
        await meanwhile();
      } finally {
        runtime = await open();
      }
    },
    async close() {
      runtime.close();
      await set.close();
      if (!options.stateDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
