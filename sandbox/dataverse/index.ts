/**
 * The Dataverse (Dynamics 365) Web API sandbox. Requests copied from Microsoft's documentation work
 * unchanged against `url`; tokens must come from the Entra sandbox for the audience `environmentUrl`.
 * Controls live under `/_sandbox/dataverse/` (see README.md).
 */
import { SandboxClock } from '../common/clock.js';
import type { CallCounter } from '../common/counters.js';
import type { FaultInjector } from '../common/faults.js';
import { listen, Router, sendJson } from '../common/http.js';
import type { TokenSigner } from '../entra/tokens.js';
import { changeTrackingReading, type ChangeTrackingReading } from './change-tracking-reading.js';
import { mountControls } from './controls.js';
import { DATAVERSE_LIMITS, DataverseRuntime, type ServiceProtectionLimits } from './runtime.js';
import type { SeedKind } from './seed.js';
import { dataverseMiddleware } from './server.js';
import type { DataverseStore } from './store.js';

export { DataverseStore } from './store.js';
export * from './seed.js';
export { parseFilter, evaluateFilter } from './odata-filter.js';
export { DATAVERSE_LIMITS } from './runtime.js';
export type { ChangeTrackingReading } from './change-tracking-reading.js';

export interface DataverseSandboxOptions {
  port?: number;
  clock?: SandboxClock;
  /** The Entra sandbox's signer: only its tokens, for `environmentUrl`, are accepted. */
  signer: TokenSigner;
  seed?: SeedKind;
  /** A JSON file the state is loaded from (if present) and saved to after writes. */
  persistFile?: string;
  /** The audience tokens must carry, e.g. `https://contoso.crm.dynamics.com`. */
  environmentUrl?: string;
  limits?: Partial<ServiceProtectionLimits>;
  /** Which reading of the documents change tracking follows for rows changed while a listing is paged (README). */
  changeTracking?: Partial<ChangeTrackingReading>;
  /** The most rows a page holds (Dataverse's 5,000 when absent): lower, a few rows stand for more than a page. */
  pageLimit?: number;
}

export interface DataverseSandbox {
  /** `http://127.0.0.1:PORT`: the Web API is at `${url}/api/data/v9.2/`. */
  url: string;
  environmentUrl: string;
  counters: CallCounter;
  faults: FaultInjector;
  clock: SandboxClock;
  /** The live store (replaced on reset, so read it through this getter). */
  readonly store: DataverseStore;
  runtime: DataverseRuntime;
  close(): Promise<void>;
}

export const DEFAULT_ENVIRONMENT_URL = 'https://contoso-sandbox.crm.dynamics.com';

export async function startDataverseSandbox(options: DataverseSandboxOptions): Promise<DataverseSandbox> {
  const clock = options.clock ?? new SandboxClock();
  const environmentUrl = (options.environmentUrl ?? DEFAULT_ENVIRONMENT_URL).replace(/\/$/, '');
  const rt = new DataverseRuntime(clock, environmentUrl, options.seed ?? 'default', options.persistFile, { ...DATAVERSE_LIMITS, ...options.limits });
  if (options.changeTracking) rt.setChangeTracking(changeTrackingReading(options.changeTracking));
  if (options.pageLimit !== undefined) rt.setPageLimit(options.pageLimit);
  const router = new Router();
  router.use(dataverseMiddleware(rt, options.signer));
  mountControls(router, rt);
  const server = await listen(
    (req, res) => router.handle(req, res, (_r, response) => sendJson(response, 404, { error: { code: '0x8006088a', message: 'Resource not found.' } })),
    options.port ?? 0,
    { clock },
  );
  rt.url = server.url;
  return {
    url: server.url,
    environmentUrl,
    counters: rt.counters,
    faults: rt.faults,
    clock,
    get store() {
      return rt.store;
    },
    runtime: rt,
    close: async () => {
      rt.persist();
      await server.close();
    },
  };
}
