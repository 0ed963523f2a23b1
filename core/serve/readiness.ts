/**
 * Health and readiness as plain data (the `/healthz` and `/readyz` routes and the dashboard both show
 * it). Healthy: the process answers and the state store is open. Ready: signed in to Partner Center, the
 * CRM answers, the last run did not fail, and nothing waits longer than the lag bound.
 * A probe's error is told as every failure is (failureText): `/readyz` answers whoever can reach the
 * service, and a library's error (an HTTP client's) may quote a token or carry terminal controls.
 */
import { failureText } from '../errors.js';
import type { ServeContext } from './context.js';

export interface Check {
  name: 'store' | 'partner-center-sign-in' | 'crm' | 'last-run' | 'lag';
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: Check[];
}

/** A CRM probe is one cheap read; its answer is kept this long so that frequent probes cost nothing. */
const CRM_PROBE_MS = 60_000;
const probes = new WeakMap<ServeContext, { at: number; result: Promise<Check> }>();

export function health(context: ServeContext): { healthy: boolean; store: Check } {
  const store = storeCheck(context);
  return { healthy: store.ok, store };
}

function storeCheck(context: ServeContext): Check {
  try {
    return { name: 'store', ok: true, detail: `state store open (schema version ${context.runtime.store.schemaVersion()})` };
  } catch (error) {
    return { name: 'store', ok: false, detail: `state store unusable: ${failureText(error)}` };
  }
}

function crmCheck(context: ServeContext): Promise<Check> {
  const cached = probes.get(context);
  if (cached && Date.now() - cached.at < CRM_PROBE_MS) return cached.result;
  const name = context.runtime.crm.displayName;
  const result = context.runtime.crm
    .listStages()
    .then((stages): Check => ({ name: 'crm', ok: true, detail: `${name} answered (${stages.length} opportunity stages)` }))
    .catch((error: unknown): Check => ({ name: 'crm', ok: false, detail: `${name} did not answer: ${failureText(error)}` }));
  probes.set(context, { at: Date.now(), result });
  return result;
}

function lagCheck(context: ServeContext): Check {
  const { service, settings } = context;
  const boundMs = settings.maxLagMinutes * 60_000;
  const oldest = service.queue.oldestReceivedMs();
  if (oldest !== undefined && Date.now() - oldest > boundMs) {
    return { name: 'lag', ok: false, detail: `a referral announced ${Math.round((Date.now() - oldest) / 60_000)} min ago is still not in the CRM (bound ${settings.maxLagMinutes} min)` };
  }
  const since = (service.lastSuccessfulPollAt ?? service.startedAt).getTime();
  const pollBoundMs = settings.pollIntervalMinutes * 60_000 + boundMs;
  if (Date.now() - since > pollBoundMs) {
    return { name: 'lag', ok: false, detail: `no successful poll for ${Math.round((Date.now() - since) / 60_000)} min (bound: the poll interval plus ${settings.maxLagMinutes} min)` };
  }
  const failing = service.queue.failures();
  const why = failing.length > 0 ? `; ${failing.length} of them failed and wait for a retry (${failing[0]!.referralId}: ${failing[0]!.failure!.reason})` : '';
  return { name: 'lag', ok: true, detail: `${service.queue.size} referral(s) waiting for a targeted sync${why}` };
}

export async function readiness(context: ServeContext): Promise<Readiness> {
  const last = context.service.last;
  const signIn: Check =
    last?.errorCode === 'auth_failed'
      ? { name: 'partner-center-sign-in', ok: false, detail: last.message ?? 'Partner Center refused the sign-in' }
      : { name: 'partner-center-sign-in', ok: last !== undefined, detail: last ? 'signed in (the last run was not refused)' : 'no run has finished yet' };
  const lastRun: Check = !last
    ? { name: 'last-run', ok: false, detail: 'the first poll has not finished yet' }
    : { name: 'last-run', ok: last.outcome !== 'failed', detail: `last ${last.kind} run ${last.outcome} at ${last.finishedAt}${last.message ? `: ${last.message}` : ''}` };
  const checks = [storeCheck(context), signIn, await crmCheck(context), lastRun, lagCheck(context)];
  return { ready: checks.every((c) => c.ok), checks };
}
