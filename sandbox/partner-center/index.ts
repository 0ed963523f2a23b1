/**
 * The Partner Center referrals sandbox: a local HTTP server (127.0.0.1, any port) that answers the
 * documented referral endpoints, the webhook registration API and the sandbox's own controls.
 * See README.md in this folder for the endpoints, the sandbox extensions and curl examples.
 */
import { SandboxClock } from '../common/clock.js';
import { CallCounter } from '../common/counters.js';
import { RefusalLog } from './refusal-log.js';
import { FaultInjector } from '../common/faults.js';
import { listen, Router, type RunningServer } from '../common/http.js';
import { TokenSigner } from '../entra/tokens.js';
import { actionsFor, type OrgActions } from './actors.js';
import { ReferralService } from './domain/service.js';
import { failureReply, FAULT_KINDS } from './pipeline.js';
import { defaultUserLocations, Organizations, type Organization } from './organizations.js';
import { debounced, loadState, saveState } from './persistence.js';
import { mountAccessRoute } from './routes/access.js';
import { mountControls } from './routes/controls.js';
import { mountReferralRoutes } from './routes/referrals.js';
import { mountWebhookRoutes } from './routes/webhook-registration.js';
import { generateBulk } from './seed/bulk.js';
import { seedDefaultData } from './seed/default-seed.js';
import { ReferralStore } from './store.js';
import type { WireWebhookEvent } from './wire/types.js';
import { createSigningIdentity, type SigningIdentity } from './webhooks/certificate.js';
import { DEFAULT_DISPATCHER_SETTINGS, WebhookDispatcher, type DispatcherSettings } from './webhooks/dispatcher.js';

export { FAULT_KINDS, type PartnerCenterFault } from './pipeline.js';
export { generateBulk } from './seed/bulk.js';
export { sampleDeal, decisionChange, type Decision, type OrgActions } from './actors.js';
export { MICROSOFT_ORG, OTHER_PARTNER_ORG, OUR_PARTNER_ORG, DEFAULT_ORGANIZATIONS } from './organizations.js';
export { CONTROL_PREFIX } from './routes/controls.js';
export type { StoredReferral } from './store.js';

export interface PartnerCenterSandboxOptions {
  port?: number;
  clock?: SandboxClock;
  /** The Entra sandbox's signer, whose tokens this sandbox trusts. */
  signer?: TokenSigner;
  /** `default`: the realistic seed; `none`: empty; a number: that many bulk referrals of our partner. */
  seed?: 'default' | 'none' | number;
  /** Keep the data in this JSON file between runs (loaded at start if present, saved after writes). */
  persistFile?: string;
  organizations?: Organization[];
  /** Location scopes of Referrals Users, by user name (default: the Entra sandbox's users). */
  userLocations?: Record<string, string[]>;
  webhooks?: Partial<DispatcherSettings>;
}

export interface PartnerCenterSandbox extends RunningServer {
  /** The origin to use as the client's base URL (the sandbox's `https://api.partner.microsoft.com`). */
  apiBaseUrl: string;
  counters: CallCounter;
  faults: FaultInjector;
  /** The 4xx answers the API gave to what clients sent (injected faults are not in it). */
  refusals: RefusalLog;
  clock: SandboxClock;
  store: ReferralStore;
  service: ReferralService;
  webhooks: WebhookDispatcher;
  signing: SigningIdentity;
  /** Act as an organisation (`msft`, `OTHER_PARTNER_ORG`, `OUR_PARTNER_ORG`) without HTTP. */
  actAs(org: string): OrgActions;
  /** Applies the 14-day clocks now; returns how many referrals changed. */
  expireDue(): number;
  reset(seed?: 'default' | 'none', bulk?: number): void;
  /** Writes the persist file now (no-op without one). */
  persist(): void;
}

export async function startPartnerCenterSandbox(options: PartnerCenterSandboxOptions = {}): Promise<PartnerCenterSandbox> {
  const clock = options.clock ?? new SandboxClock();
  const signer = options.signer ?? new TokenSigner();
  const orgs = new Organizations(options.organizations);
  const store = new ReferralStore();
  const counters = new CallCounter();
  const refusals = new RefusalLog();
  const faults = new FaultInjector(FAULT_KINDS);
  const signing = createSigningIdentity();
  const router = new Router();
  const server = await listen(
    (req, res) => router.handle(req, res, (r, response, methodMismatch) => {
      const failure = methodMismatch
        ? { status: 405, code: 'invalidRequest' as const, message: `${r.method} is not supported on ${r.path}.` }
        : { status: 404, code: 'itemNotFound' as const, message: `No endpoint ${r.method} ${r.path}.` };
      const reply = failureReply(failure);
      response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(reply.body));
    }),
    options.port ?? 0,
    { clock },
  );
  const webhooks = new WebhookDispatcher(signing, () => `${server.url}/webhooks/v1/certificate`, { ...DEFAULT_DISPATCHER_SETTINGS, ...options.webhooks });
  const saver = debounced(() => {
    if (options.persistFile) saveState(options.persistFile, { store: store.snapshot(), registrations: [...webhooks.registrations.entries()] });
  }, 200);

  const service = new ReferralService(store, orgs, clock, (kind, referral) => {
    // The thin event of §1.14; ResourceUri has the documented `{baseURL}/engagements/v1/referrals/{id}` form.
    const event = (name: string, id: string): WireWebhookEvent => ({
      EventName: name as WireWebhookEvent['EventName'],
      ResourceUri: `${server.url}/engagements/v1/referrals/${id}`,
      ResourceName: 'referral',
      AuditUri: null,
      ResourceChangeUtcDate: clock.iso(),
    });
    if (options.persistFile) saver.schedule();
    // Without a registration nobody is sent anything: the events are not built (a bulk sync writes thousands).
    if (webhooks.registrations.size === 0) return;
    webhooks.publish(referral.organizationId, event(`referral-${kind}`, referral.id));
    for (const other of store.inEngagement(referral.engagementId)) {
      if (other.organizationId !== referral.organizationId) webhooks.publish(other.organizationId, event(`related-referral-${kind}`, referral.id));
    }
  });

  const reset = (seed: 'default' | 'none' = 'default', bulk?: number) => {
    store.clear();
    if (seed === 'default') seedDefaultData(service);
    if (bulk) generateBulk(store, orgs, bulk, { now: clock.now() });
  };
  const persisted = options.persistFile ? loadState(options.persistFile) : undefined;
  if (persisted) {
    store.load(persisted.store);
    for (const [org, registration] of persisted.registrations) webhooks.registrations.set(org, registration);
  } else if (typeof options.seed === 'number') reset('none', options.seed);
  else reset(options.seed ?? 'default');

  const deps = {
    counters,
    faults,
    refusals,
    nowIso: () => clock.iso(),
    auth: { signer, orgs, userLocations: options.userLocations ?? defaultUserLocations(), nowSeconds: () => Math.floor(clock.nowMs() / 1000) },
  };
  mountReferralRoutes(router, { service, deps, baseUrl: () => server.url });
  mountWebhookRoutes(router, deps, webhooks, signing);
  mountAccessRoute(router, deps, orgs);
  mountControls(router, { service, clock, faults, counters, webhooks, reset, persist: () => saver.flush() });

  return {
    ...server,
    apiBaseUrl: server.url,
    counters,
    refusals,
    faults,
    clock,
    store,
    service,
    webhooks,
    signing,
    actAs: (org) => actionsFor(service, org),
    expireDue: () => service.expireDue(),
    reset,
    persist: () => saver.flush(),
    close: async () => {
      webhooks.close();
      if (options.persistFile) saver.flush();
      saver.cancel();
      await server.close();
    },
  };
}
