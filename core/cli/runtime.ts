/**
 * Builds what a command needs from the config file: the logger, the state store, the CRM adapter (through
 * the connector registry) and the Partner Center client with its sync port.
 */
import { connectorFor } from '../../connectors/registry.js';
import { createPartnerCenterClient, type PartnerCenterClient } from '../../connectors/partner-center/index.js';
import { partnerCenterSyncPort } from '../../connectors/partner-center/sync-port.js';
import type { CrmAdapter } from '../engine/crm-port.js';
import { warnCustomEndpoints } from '../../config/endpoint-policy.js';
import { enforceConfigEndpoints } from '../../config/endpoints.js';
import { loadConfig } from '../../config/load.js';
import type { CosellConfig } from '../../config/schema.js';
import { resolveSecret } from '../../config/secrets.js';
import { verifySecretReferences } from '../../config/secret-references.js';
import type { EngineDeps } from '../engine/context.js';
import type { PartnerCenterPort } from '../engine/ports.js';
import { ConfigError } from '../errors.js';
import { createLogger, logFileOf, type Logger } from '../logger.js';
import { openMemoryStore, openSqliteStore, type StateStore } from '../store/index.js';
import type { EngineOptions } from '../engine/context.js';
import { logLevelFor } from './output.js';
import { reportPermissionWarningsTo } from '../store/file-permissions.js';
import { reportUpgradesTo } from '../store/upgrade-notice.js';
import { asyncStateStore } from '../store/async-over-sync.js';
import { CLOCK_OFFSET_META, keptClockOffset, logClockShift, ServiceClock } from '../service-clock.js';
import { settingsDigest } from '../../config/settings-digest.js';

export interface Runtime {
  config: CosellConfig;
  logger: Logger;
  store: StateStore;
  crm: CrmAdapter;
  partnerCenterClient: PartnerCenterClient;
  partnerCenter: PartnerCenterPort;
  engineDeps(): EngineDeps;
  close(): void;
}

export interface RuntimeOptions {
  configFile?: string;
  /** A validated config instead of a file (tests, the demo). */
  config?: CosellConfig;
  logger?: Logger;
  /** Keep nothing: an in-memory store (dry runs). */
  memoryStore?: boolean;
  /**
   * Only reads the state (`status`, `conflicts`): refuses, with the fix, when there is no state database
   * yet, and does not insist on secrets it will not use.
   */
  readOnly?: boolean;
  now?: () => Date;
  /**
   * The command works on the CRM only (`cosell setup`): no Partner Center sign-in is opened, so it needs
   * neither the token cache nor its key (the README runs setup before the key is exported).
   */
  crmOnly?: boolean;
  /**
   * The command reads the state store only (`status`, `conflicts`): it signs in to no service, so it needs
   * neither the token cache's key nor the CRM's secrets. An operator checks a service's state from a shell
   * that does not hold the service's environment (systemd's `EnvironmentFile`, a container's secrets).
   * Implies `readOnly`.
   */
  storeOnly?: boolean;
  /**
   * The runtime this one replaces after a config edit under `cosell serve`: its state store (which holds
   * the service's lock and its webhook queue) and its logger (which the routes log through) are kept, and
   * this runtime closes them. The replaced one is dropped, not closed.
   */
  replacing?: Runtime;
}

/** The Partner Center sign-in of a command that makes no Partner Center call: a call would be a bug, said plainly. */
const NO_PARTNER_CENTER_SIGN_IN = {
  getAccessToken: (): Promise<string> => Promise.reject(new Error('this command does not sign in to Partner Center')),
};

export function crmConnectorOf(config: CosellConfig) {
  const kind = config.crm.kind;
  const connector = connectorFor(kind);
  if (!connector) throw new ConfigError('crm > kind', `unknown CRM "${kind}"`);
  return { connector, options: (config.crm as Record<string, unknown>)[kind] };
}

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const config = options.config ?? loadConfig(options.configFile);
  const readOnly = options.readOnly === true || options.storeOnly === true;
  if (!readOnly) await verifySecretReferences(config);
  const logger = options.replacing?.logger ?? options.logger ?? createLogger({ level: logLevelFor(config.logging.level), ...(config.logging.file ? { file: config.logging.file } : {}) });
  // Checked here too: a config passed in (demo, tests) has not been through the loader.
  warnCustomEndpoints(enforceConfigEndpoints(config), logger);
  reportPermissionWarningsTo((message) => logger.warn(message));
  reportUpgradesTo((message) => logger.warn(message));
  const { connector, options: crmOptions } = crmConnectorOf(config);
  const store = options.replacing?.store ?? (options.memoryStore ? openMemoryStore() : openSqliteStore(config.store.path, { mustExist: readOnly }));
  // Tests and the demo pass the sandboxes' clock; a command keeps to Partner Center's (core/service-clock.ts).
  const serviceClock = options.now ? undefined : keptServiceClock(store, logger);
  const now = options.now ?? (() => serviceClock!.now());
  const crm = await connector.create(crmOptions, {
    logger: logger.child({ crm: connector.displayName }),
    resolveSecret: (ref) => resolveSecret(ref, `crm > ${connector.kind}`),
    relatedRows: asyncStateStore(store),
    now,
  });
  const partnerCenterClient = createPartnerCenterClient(config.partnerCenter, {
    logger: logger.child({ side: 'partner-center' }),
    ...(options.crmOnly || options.storeOnly ? { tokens: NO_PARTNER_CENTER_SIGN_IN } : {}),
    ...(serviceClock ? { onServiceTime: serviceClock.observe } : {}),
  });
  const partnerCenter = partnerCenterSyncPort(partnerCenterClient);
  return {
    config,
    logger,
    store,
    crm,
    partnerCenterClient,
    partnerCenter,
    engineDeps: () => ({ crm, partnerCenter, store, logger, now }),
    close: () => {
      store.close();
      // A runtime replaced after a config edit leaves its logger: its file is closed, not only unwatched.
      if (!options.logger) logFileOf(logger)?.close();
    },
  };
}

/** The engine's clock for a command: Partner Center's when the local one is off, the offset kept in the store. */
function keptServiceClock(store: StateStore, logger: Logger): ServiceClock {
  return new ServiceClock({
    initialOffsetMs: keptClockOffset(store.getMeta(CLOCK_OFFSET_META)),
    onShift: (offsetMs, previousMs) => {
      logClockShift(logger, offsetMs, previousMs);
      try {
        store.putMeta(CLOCK_OFFSET_META, offsetMs, new Date().toISOString());
      } catch (error) {
        logger.debug({ err: error }, 'could not keep the clock offset in the state store (a read-only command); it is measured again next time');
      }
    },
  });
}

/** The engine options a config asks for (the CLI's runs and the sandbox world use the same). */
export function engineOptionsFor(config: CosellConfig): Partial<EngineOptions> {
  return {
    policy: config.sync.conflictPolicy,
    holdWonHours: config.sync.holdWonHours,
    ...(config.sync.defaultLocation ? { defaultLocation: config.sync.defaultLocation } : {}),
    ...(config.sync.partnerCenterCallBudget ? { partnerCenterCallBudget: config.sync.partnerCenterCallBudget } : {}),
    ...(config.sync.locationByOwner ? { locationByOwner: config.sync.locationByOwner } : {}),
    ...(config.sync.locationByBusinessUnit ? { locationByBusinessUnit: config.sync.locationByBusinessUnit } : {}),
    ...(config.sync.leadsAsCrmLeads ? { leadsAsCrmLeads: true } : {}),
    settingsDigest: settingsDigest(config),
  };
}
