/**
 * Our webhook URL and the registration Partner Center holds, compared: is the registered URL ours, and
 * does it answer? Used by `cosell webhooks status`, `cosell check` and `serve --register`.
 */
import { webhookRegistrationClient, type WebhookRegistration } from '../../connectors/partner-center/webhook-registration.js';
import type { CosellConfig } from '../../config/schema.js';
import { ConfigError } from '../errors.js';
import { WEBHOOK_PATH } from './webhook-route.js';
import { addressRefusalIn } from '../http/address-guard.js';
import { ALLOW_ENDPOINTS_ENV } from '../../config/endpoint-consent.js';

/** The URL Partner Center should post to, from the public URL (the service's address as the internet sees it). */
export function ourWebhookUrl(publicUrl: string | undefined): string {
  if (!publicUrl) throw new ConfigError('serve > publicUrl', 'no public URL: set serve > publicUrl (or pass --public-url / --url) to the https address Partner Center reaches this service at');
  return new URL(WEBHOOK_PATH, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).toString();
}

export function registrationClientFor(config: CosellConfig) {
  return webhookRegistrationClient(config.partnerCenter, config.serve.webhooks.registrationUrl);
}

export interface RegistrationVerdict {
  registration?: WebhookRegistration;
  ours: boolean;
  reachable?: boolean;
  detail: string;
}

/**
 * Whether the service at `webhookUrl` answers its health check (GET …/healthz beside the webhook path), or
 * why the check was not sent: the address guard (core/http/address-guard.ts) refuses a name that resolves
 * inside this machine or its network, as a public URL may where the check runs (split-horizon DNS).
 */
async function healthCheck(webhookUrl: string): Promise<{ answers: boolean; refused?: string }> {
  const health = webhookUrl.replace(/\/webhooks\/partner-center\/?$/, '/healthz');
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
    return { answers: response.ok };
  } catch (error) {
    const refused = addressRefusalIn(error);
    return refused ? { answers: false, refused } : { answers: false };
  }
}

/** The verdict's words on the health check. Pure. */
function healthWords(check: { answers: boolean; refused?: string }): string {
  if (check.answers) return 'it answers';
  if (!check.refused) return 'it does not answer a health check';
  return `its health check was not sent: ${check.refused} (if that address is this service's, the operator allows its host with ${ALLOW_ENDPOINTS_ENV})`;
}

export async function judgeRegistration(config: CosellConfig, publicUrl = config.serve.publicUrl): Promise<RegistrationVerdict> {
  const registration = await registrationClientFor(config).get();
  const ours = publicUrl ? ourWebhookUrl(publicUrl) : undefined;
  if (!registration) return { ours: false, detail: 'no webhook registration: Partner Center sends no events (the poll still syncs)' };
  const isOurs = ours !== undefined && registration.webhookUrl === ours;
  const check = await healthCheck(registration.webhookUrl);
  const reachable = check.answers;
  const whose = isOurs
    ? 'is ours'
    : ours
      ? `is not ours (ours would be ${ours}; another connector, such as Microsoft's, may have registered it)`
      : "may be this connector's or another's (serve > publicUrl is not set to compare with)";
  // Which events go where, said whatever else is known: webhooks are on while a registration exists, set up
  // by this connector or not.
  const events = registration.events.length ? registration.events.join(', ') : 'no events';
  return { registration, ours: isOurs, reachable, detail: `Partner Center sends ${events} to ${registration.webhookUrl}, which ${whose}; ${healthWords(check)}` };
}

/**
 * What is wrong with the registration found, if anything (undefined: nothing). Pure; `cosell check`'s
 * webhooks line and `cosell webhooks status` judge alike. Without `serve > publicUrl` the connector may be
 * polling only, so no registration is fine; but a registration that does not answer is wrong either way
 * (Partner Center's events to it are lost, whoever registered it), and so is one that could not be read
 * (nothing is known; the sign-in line of `cosell check` usually says why).
 */
export function registrationProblem(expected: boolean, found: RegistrationVerdict | Error): string | undefined {
  if (found instanceof Error) return `the registration could not be read: ${found.message}`;
  const { registration, ours, reachable } = found;
  if (!registration) return expected ? 'run `cosell webhooks register`' : undefined;
  if (reachable !== true) return 'the events Partner Center sends there are lost (the poll still syncs). Start `cosell serve` at that address, or run `cosell webhooks unregister` to poll only';
  return expected && !ours ? 'run `cosell webhooks register` to take the events back (Partner Center keeps one URL per event)' : undefined;
}

/** The `cosell check` line for webhooks, from what was found. Pure. */
export function webhookCheckOf(expected: boolean, found: RegistrationVerdict | Error): { ok: boolean; detail: string } {
  const problem = registrationProblem(expected, found);
  if (found instanceof Error) return { ok: false, detail: problem! };
  const { registration, detail } = found;
  if (!registration) return problem ? { ok: false, detail: `${detail}; ${problem}` } : { ok: true, detail: `${detail} (serve > publicUrl is not set: polling only)` };
  return problem ? { ok: false, detail: `${detail}: ${problem}` } : { ok: true, detail };
}

export async function webhookCheckItem(config: CosellConfig): Promise<{ name: string; ok: boolean; detail: string }> {
  let found: RegistrationVerdict | Error;
  try {
    found = await judgeRegistration(config);
  } catch (error) {
    found = error instanceof Error ? error : new Error(String(error));
  }
  return { name: 'Partner Center webhooks', ...webhookCheckOf(config.serve.publicUrl !== undefined, found) };
}
