/**
 * The dashboard's context from a command's runtime: what `cosell serve` passes when it mounts the plugin
 * at `/`, with its `/readyz` data as `readiness`.
 */
import { resolveSecret } from '../../config/secrets.js';
import type { Runtime } from '../cli/runtime.js';
import { dashboardSchema } from './config.js';
import type { DashboardContext, ReadinessView } from './context.js';

/** The configured record URL, or else the one the CRM adapter knows (Dynamics 365: from its environment URL). */
function withRecordUrl(config: DashboardContext['config'], fromCrm: string | undefined): DashboardContext['config'] {
  return config.crmRecordUrl || !fromCrm ? config : { ...config, crmRecordUrl: fromCrm };
}

export function dashboardContextOf(runtime: Pick<Runtime, 'config' | 'store' | 'logger' | 'crm' | 'engineDeps'>, readiness?: () => Promise<ReadinessView>, syncSoon?: () => void): DashboardContext {
  return {
    store: runtime.store,
    now: () => runtime.engineDeps().now(),
    ...(readiness ? { readiness } : {}),
    ...(syncSoon ? { syncSoon } : {}),
    config: withRecordUrl(runtime.config.dashboard ?? dashboardSchema.parse({}), runtime.crm.recordUrlTemplate),
    resolveSecret,
    logger: runtime.logger.child({ component: 'dashboard' }),
    crmName: runtime.crm.displayName,
  };
}
