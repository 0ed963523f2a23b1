/**
 * The sandbox's own controls, under `/_sandbox/partner-center/` (a prefix the real API does not use;
 * documented in sandbox/partner-center/README.md). No authentication, no faults, not counted.
 */
import { parseJsonBody, sendJson, type Router, type SandboxRequest } from '../../common/http.js';
import type { SandboxClock } from '../../common/clock.js';
import type { CallCounter } from '../../common/counters.js';
import type { FaultConfig, FaultInjector } from '../../common/faults.js';
import { actionsFor, type Decision } from '../actors.js';
import type { ReferralService } from '../domain/service.js';
import { errorBody, type Result } from '../failures.js';
import type { StoredReferral } from '../store.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';

export const CONTROL_PREFIX = '/_sandbox/partner-center';
const DAY_MS = 86_400_000;
const DECISIONS: readonly string[] = ['accept', 'decline', 'won', 'lost', 'receive'];

export interface ControlContext {
  service: ReferralService;
  clock: SandboxClock;
  faults: FaultInjector;
  counters: CallCounter;
  webhooks: WebhookDispatcher;
  reset(seed: 'default' | 'none', bulk?: number): void;
  persist(): void;
}

function body(req: SandboxRequest): Record<string, unknown> {
  const parsed = parseJsonBody(req);
  return parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as Record<string, unknown>) : {};
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function answer(res: Parameters<Parameters<Router['on']>[2]>[1], result: Result<StoredReferral>): void {
  if (result.ok) sendJson(res, 200, result.value);
  else sendJson(res, result.failure.status, errorBody(result.failure));
}

const REGISTRATION_STATES = ['Registered', 'ActionRequired', 'Validated'] as const;
const isRegistrationState = (s: string): boolean => (REGISTRATION_STATES as readonly string[]).includes(s);

export function mountControls(router: Router, ctx: ControlContext): void {
  const p = CONTROL_PREFIX;
  router.on('GET', `${p}/state`, (_req, res) => {
    const byOrg: Record<string, number> = {};
    for (const r of ctx.service.store.all()) byOrg[r.organizationId] = (byOrg[r.organizationId] ?? 0) + 1;
    sendJson(res, 200, { referrals: ctx.service.store.size, byOrganization: byOrg, now: ctx.clock.iso(), faults: ctx.faults.current() ?? null, counters: ctx.counters.snapshot() });
  });
  router.on('POST', `${p}/reset`, (req, res) => {
    const b = body(req);
    ctx.reset(b.seed === 'none' ? 'none' : 'default', typeof b.bulk === 'number' ? b.bulk : undefined);
    sendJson(res, 200, { referrals: ctx.service.store.size });
  });
  router.on('GET', `${p}/clock`, (_req, res) => sendJson(res, 200, { now: ctx.clock.iso() }));
  router.on('POST', `${p}/clock`, (req, res) => {
    const b = body(req);
    if (typeof b.set === 'string') ctx.clock.set(b.set);
    if (typeof b.advanceDays === 'number') ctx.clock.advance(b.advanceDays * DAY_MS);
    if (typeof b.advanceMs === 'number') ctx.clock.advance(b.advanceMs);
    if (b.reset === true) ctx.clock.reset();
    const expired = ctx.service.expireDue();
    sendJson(res, 200, { now: ctx.clock.iso(), expired });
  });
  router.on('POST', `${p}/expire`, (_req, res) => sendJson(res, 200, { expired: ctx.service.expireDue() }));
  router.on('GET', `${p}/faults`, (_req, res) => sendJson(res, 200, { config: ctx.faults.current() ?? null, injected: ctx.faults.injectedCount() }));
  router.on('PUT', `${p}/faults`, (req, res) => {
    const b = body(req) as unknown as FaultConfig;
    ctx.faults.configure({ ...b, match: b.match ?? '^(GET|POST|PATCH|PUT) /v1\\.0/' });
    sendJson(res, 200, { config: ctx.faults.current() ?? null });
  });
  router.on('DELETE', `${p}/faults`, (_req, res) => {
    ctx.faults.configure(undefined);
    sendJson(res, 200, { config: null });
  });
  router.on('GET', `${p}/counters`, (_req, res) => sendJson(res, 200, { total: ctx.counters.total(), byEndpoint: ctx.counters.snapshot() }));
  router.on('DELETE', `${p}/counters`, (_req, res) => {
    ctx.counters.reset();
    sendJson(res, 200, { total: 0 });
  });
  router.on('GET', `${p}/webhooks/offline`, (_req, res) => sendJson(res, 200, { value: ctx.webhooks.offline }));
  router.on('GET', `${p}/webhooks/attempts`, (_req, res) => sendJson(res, 200, { value: ctx.webhooks.attempts }));
  router.on('POST', `${p}/persist`, (_req, res) => {
    ctx.persist();
    sendJson(res, 200, { saved: true });
  });

  // Acting as an organisation: `org` is `msft`, a partner's organisation id, or the words microsoft / partner.
  const orgOf = (name: string | undefined): string => (name === 'microsoft' ? 'msft' : name === 'partner' || name === undefined ? 'fab71ca0-0000-4000-8000-0000000fab71' : name);
  router.on('POST', `${p}/act/:org/send`, (req, res) => {
    const b = body(req);
    const to = str(b.to);
    const locationId = str(b.locationId);
    const dealName = str(b.dealName);
    const qualification = str(b.qualification);
    answer(res, actionsFor(ctx.service, orgOf(req.params.org)).sendReferral({ ...(to ? { to } : {}), ...(locationId ? { locationId } : {}), ...(qualification ? { qualification } : {}), deal: dealName ? { dealName } : {} }));
  });
  router.on('POST', `${p}/act/:org/respond`, (req, res) => {
    const b = body(req);
    const decision = String(b.decision ?? '');
    if (!DECISIONS.includes(decision)) return sendJson(res, 400, { error: { code: 'invalidRequest', message: `decision must be one of ${DECISIONS.join(', ')}`, target: 'decision' } });
    answer(res, actionsFor(ctx.service, orgOf(req.params.org)).respond(String(b.referralId ?? ''), decision as Decision));
  });
  // Partner Center's registration flow (sandbox extension, UNVERIFIED): status Registered | ActionRequired | Validated.
  router.on('POST', `${p}/act/:org/register`, (req, res) => {
    const b = body(req);
    const status = String(b.status ?? '');
    if (!isRegistrationState(status)) return sendJson(res, 400, { error: { code: 'invalidRequest', message: `status must be one of ${REGISTRATION_STATES.join(', ')}`, target: 'status' } });
    const signed = str(b.contractSignedDateTime);
    const message = str(b.message);
    const registration = { status: status as (typeof REGISTRATION_STATES)[number], ...(signed ? { contractSignedDateTime: signed } : {}), ...(message ? { message } : {}) };
    answer(res, actionsFor(ctx.service, orgOf(req.params.org)).register(String(b.referralId ?? ''), registration));
  });
  router.on('POST', `${p}/act/:org/invite`, (req, res) => {
    const b = body(req);
    answer(res, actionsFor(ctx.service, orgOf(req.params.org)).invite(String(b.referralId ?? ''), orgOf(str(b.partner))));
  });
}
