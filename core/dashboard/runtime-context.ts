/**
 * The dashboard's context from a command's runtime: what `cosell serve` passes when it mounts the plugin
 * at `/`, with its `/readyz` data as `readiness`.
 *
 * `cosell serve` replaces its runtime when the config file is edited (core/serve/config-follow.ts), so the
 * context reads the runtime in use (`current`) at each request for what follows an edit: the clock and the
 * CRM's facts (its name in labels, its record URL). Until 2026-12-06 it kept the first runtime's, and a
 * dashboard whose `crm` section was edited went on naming the CRM the service started with. The dashboard's
 * own settings (sign-in, sessions, `crmRecordUrl`) need a restart (`restartBound`), as do the store and the
 * logger (an edit keeps both), so they are read once.
 */
import { resolveSecret } from '../../config/secrets.js';
import type { Runtime } from '../cli/runtime.js';
import { dashboardSchema } from './config.js';
import type { DashboardContext, ReadinessView } from './context.js';

/** What the dashboard reads of a runtime. */
export type DashboardRuntime = Pick<Runtime, 'config' | 'store' | 'logger' | 'crm' | 'engineDeps'>;

/** The configured record URL, or else the one the CRM adapter knows (Dynamics 365: from its environment URL). */
function withRecordUrl(config: DashboardContext['config'], fromCrm: string | undefined): DashboardContext['config'] {
  return config.crmRecordUrl || !fromCrm ? config : { ...config, crmRecordUrl: fromCrm };
}

/** `runtime`: the runtime itself, or a function answering the one in use (`cosell serve`, which an edit replaces). */
export function dashboardContextOf(runtime: DashboardRuntime | (() => DashboardRuntime), readiness?: () => Promise<ReadinessView>, syncSoon?: () => void): DashboardContext {
  const current = typeof runtime === 'function' ? runtime : () => runtime;
  const started = current();
  const settings = started.config.dashboard ?? dashboardSchema.parse({});
  return {
    store: started.store,
    now: () => current().engineDeps().now(),
    ...(readiness ? { readiness } : {}),
    ...(syncSoon ? { syncSoon } : {}),
    get config() {
      return withRecordUrl(settings, current().crm.recordUrlTemplate);
    },
    resolveSecret,
    logger: started.logger.child({ component: 'dashboard' }),
    get crmName() {
      return current().crm.displayName;
    },
  };
}
