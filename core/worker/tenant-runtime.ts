/**
 * What one tenant's sync needs inside a worker, built from its row in `tenants`: its config (validated
 * again, so defaults apply as for a config file), its CRM adapter and Partner Center client, and its
 * state store, the PostgreSQL one keyed by the tenant. The same pieces as a single install's runtime
 * (core/cli/runtime.ts), with two differences: the store is the tenant's rows, not a SQLite file, and the
 * Partner Center sign-in is the tenant's token cache in the database, encrypted under the tenant's own key
 * (core/tenants/tenant-keys.ts), so that any worker can refresh any tenant's tokens.
 */
import { tenantConsent, type EndpointConsent } from '../../config/endpoint-consent.js';
import { warnCustomEndpoints } from '../../config/endpoint-policy.js';
import { enforceConfigEndpoints } from '../../config/endpoints.js';
import { validateConfig } from '../../config/load.js';
import type { CosellConfig } from '../../config/schema.js';
import { createPartnerCenterClient, type PartnerCenterClient } from '../../connectors/partner-center/index.js';
import type { FailureStreakHolder } from '../../connectors/partner-center/http.js';
import { partnerCenterSyncPort } from '../../connectors/partner-center/sync-port.js';
import { CLOCK_OFFSET_META, keptClockOffset, logClockShift, ServiceClock } from '../service-clock.js';
import { crmConnectorOf, engineOptionsFor } from '../cli/runtime.js';
import type { EngineDeps, EngineOptions } from '../engine/context.js';
import type { Logger } from '../logger.js';
import type { AsyncStateStore } from '../store/async-state-store.js';
import type { PgDatabase } from '../store/pg/pg-database.js';
import { pgStateStore } from '../store/pg/pg-store.js';
import { getTenant, unknownTenantError } from '../tenants/tenant-registry.js';
import { resolveTenantSecret, verifyTenantReferences } from '../tenants/tenant-secret-scope.js';
import { tenantTokenProvider } from '../tenants/tenant-sign-in.js';
import { PARTNER_CENTER_BUDGET, pgSharedBudget, tenantBudgetScopes } from './shared-budget.js';

export interface TenantRuntime {
  tenantId: string;
  config: CosellConfig;
  store: AsyncStateStore;
  deps: EngineDeps;
  /** The tenant's Partner Center client itself (bulk CSV import and export use it directly). */
  partnerCenterClient: PartnerCenterClient;
  options: Partial<EngineOptions>;
  /** The operator's consent for the tenant's custom endpoints (its allowed endpoints), for `tenants check --connect`. */
  endpointConsent: EndpointConsent;
}

export interface TenantRuntimeInput {
  db: PgDatabase;
  tenantId: string;
  /** The master key the tenants' token-cache keys are derived from (COSELL_MASTER_KEY). */
  masterKey: Buffer;
  logger: Logger;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
}

/**
 * Each tenant's Partner Center failure streak, for the worker process's life: a runtime (and its client) is
 * opened for every cycle, and a streak kept in the client told a lasting outage again at every cycle. One
 * entry per tenant this process served (a few dozen bytes each).
 */
const failureStreaks = new Map<string, FailureStreakHolder>();

/** The streak holder of one tenant, made on first use. */
export function tenantFailureStreak(tenantId: string): FailureStreakHolder {
  let holder = failureStreaks.get(tenantId);
  if (!holder) failureStreaks.set(tenantId, (holder = {}));
  return holder;
}

export async function openTenantRuntime(input: TenantRuntimeInput): Promise<TenantRuntime> {
  const tenant = await getTenant(input.db.pool, input.tenantId);
  if (!tenant) throw unknownTenantError(input.tenantId);
  // Judged again at every load, not only at `tenants add`: the row may have been edited since, and a rule tightened.
  const consent = tenantConsent(tenant.tenantId, tenant.allowedEndpoints);
  const env = input.env ?? process.env;
  const config = validateConfig(tenant.config, `tenant ${tenant.tenantId}`, consent);
  await verifyTenantReferences(tenant.tenantId, config, env);
  const logger = input.logger.child({ tenant: tenant.tenantId });
  warnCustomEndpoints(enforceConfigEndpoints(config, consent), logger);
  const store = await pgStateStore(input.db, tenant.tenantId);
  // Partner Center's clock when this machine's is off (core/service-clock.ts): started from the offset kept in
  // the tenant's store, and kept there when it shifts, for the next runtime (a worker's are short-lived) and
  // for `cosell status --tenant`, which reckons the age of the runs stamped by it.
  const serviceClock = input.now ? undefined : await keptTenantClock(store, logger);
  const now = input.now ?? (() => serviceClock!.now());
  const { connector, options: crmOptions } = crmConnectorOf(config);
  const scopes = tenantBudgetScopes(tenant);
  const crm = await connector.create(crmOptions, {
    logger: logger.child({ crm: connector.displayName }),
    // Every worker draws this tenant's CRM calls and its organisation's Partner Center calls from one budget.
    sharedBudget: pgSharedBudget(input.db.pool, scopes.crm, connector.apiBudget),
    resolveSecret: (ref) => resolveTenantSecret(tenant.tenantId, ref, `tenant ${tenant.tenantId} > crm > ${connector.kind}`, env),
    relatedRows: store,
    now,
  });
  // A delegated sign-in (device code) keeps its tokens in the tenant's row, not in a file of this machine.
  const tokens = tenantTokenProvider(input.db.pool, tenant.tenantId, input.masterKey, config.partnerCenter, input.env);
  const client = createPartnerCenterClient(config.partnerCenter, {
    logger: logger.child({ side: 'partner-center' }),
    tokens,
    sharedBudget: pgSharedBudget(input.db.pool, scopes.partnerCenter, PARTNER_CENTER_BUDGET),
    ...(serviceClock ? { onServiceTime: serviceClock.observe } : {}),
    failureStreak: tenantFailureStreak(tenant.tenantId),
  });
  return {
    tenantId: tenant.tenantId,
    config,
    store,
    deps: { crm, partnerCenter: partnerCenterSyncPort(client), store, logger, now },
    partnerCenterClient: client,
    options: engineOptionsFor(config),
    endpointConsent: consent,
  };
}

/**
 * The engine's clock of a tenant, from the offset its store keeps. Each shift is kept in turn (chained, so
 * a later offset is never overwritten by an earlier write that finished after it); a failed write is logged
 * and measured again by the next runtime.
 */
async function keptTenantClock(store: AsyncStateStore, logger: Logger): Promise<ServiceClock> {
  let keeping = Promise.resolve();
  return new ServiceClock({
    initialOffsetMs: keptClockOffset(await store.getMeta(CLOCK_OFFSET_META)),
    onShift: (offsetMs, previousMs) => {
      logClockShift(logger, offsetMs, previousMs);
      keeping = keeping
        .then(() => store.putMeta(CLOCK_OFFSET_META, offsetMs, new Date().toISOString()))
        .catch((error: unknown) => logger.debug({ err: error }, "could not keep the clock offset in the tenant's store; the next runtime measures it again"));
    },
  });
}
