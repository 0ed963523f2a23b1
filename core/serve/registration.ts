/**
 * Our webhook URL and the registration Partner Center holds, compared: is the registered URL ours, and
 * does it answer? Used by `cosell webhooks status`, `cosell check` and `serve --register`.
 */
import { webhookRegistrationClient, type WebhookRegistration } from '../../connectors/partner-center/webhook-registration.js';
import type { CosellConfig } from '../../config/schema.js';
import { ConfigError } from '../errors.js';
import { WEBHOOK_PATH } from './webhook-route.js';

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

/** Whether the service at `webhookUrl` answers its health check (GET …/healthz beside the webhook path). */
async function answers(webhookUrl: string): Promise<boolean> {
  const health = webhookUrl.replace(/\/webhooks\/partner-center\/?$/, '/healthz');
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
    return response.ok;
  } catch {
    return false;
  }
}

export async function judgeRegistration(config: CosellConfig, publicUrl = config.serve.publicUrl): Promise<RegistrationVerdict> {
  const registration = await registrationClientFor(config).get();
  const ours = publicUrl ? ourWebhookUrl(publicUrl) : undefined;
  if (!registration) return { ours: false, detail: 'no webhook registration: Partner Center sends no events (the poll still syncs)' };
  const isOurs = ours !== undefined && registration.webhookUrl === ours;
  const reachable = await answers(registration.webhookUrl);
  const whose = isOurs ? 'ours' : ours ? `not ours (ours would be ${ours}; another connector, such as Microsoft's, may have registered it)` : 'registered (no serve > publicUrl to compare with)';
  return { registration, ours: isOurs, reachable, detail: `${registration.webhookUrl} is ${whose}; ${reachable ? 'it answers' : 'it does not answer a health check'}` };
}

/**
 * The `cosell check` line for webhooks, from what was found. Pure. Without `serve > publicUrl` the connector
 * may be polling only, so no registration is fine; but a registration that does not answer fails either way
 * (Partner Center's events to it are lost, whoever registered it), and so does one that could not be read
 * (nothing is known; the sign-in line above usually says why).
 */
export function webhookCheckOf(expected: boolean, found: RegistrationVerdict | Error): { ok: boolean; detail: string } {
  if (found instanceof Error) return { ok: false, detail: `the registration could not be read: ${found.message}` };
  const { registration, ours, reachable, detail } = found;
  if (!registration) return expected ? { ok: false, detail: `${detail}; run \`cosell webhooks register\`` } : { ok: true, detail: `${detail} (serve > publicUrl is not set: polling only)` };
  if (reachable !== true) {
    return { ok: false, detail: `${detail}: the events Partner Center sends there are lost (the poll still syncs). Start \`cosell serve\` at that address, or run \`cosell webhooks unregister\` to poll only` };
  }
  return expected ? { ok: ours, detail } : { ok: true, detail: `${detail} (serve > publicUrl is not set: polling only)` };
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
