/**
 * Which secrets may travel over plain http. The endpoint policy (endpoint-policy.ts) lets a config name a
 * loopback http endpoint, for the embedded sandboxes; yet the config is meant to be committed and shown, and
 * any local user can listen on a free loopback port. So a config edited to point a real client secret or
 * password at `http://127.0.0.1:PORT` would hand it, in clear, to whatever listens there. The config cannot
 * say which secret is a sandbox's (whoever edits it would say so), and a listener cannot prove it is the
 * sandbox; the secret itself can: every credential the sandboxes issue and publish begins with
 * `sandbox-` (any case), and no secret that Entra ID or Salesforce generate does. A secret is therefore sent
 * over http only when it is a sandbox's; any other is refused before anything is sent, naming the key, the
 * endpoint and the rule (Azure's SDKs likewise refuse a credential over non-TLS unless code opts in, and
 * msal refuses an http authority). https endpoints are judged by the endpoint policy alone.
 */
import { ConfigError } from '../core/errors.js';
import type { EndpointRef } from './endpoint-policy.js';
import { resolveSecret } from './secrets.js';

/** How every credential the embedded sandboxes issue begins (compared without regard to case). */
export const SANDBOX_SECRET_PREFIX = 'sandbox-';

/** Whether `value` is one of the sandboxes' published test credentials. Pure. */
export function isSandboxSecret(value: string): boolean {
  return value.toLowerCase().startsWith(SANDBOX_SECRET_PREFIX);
}

/**
 * Throws a ConfigError (exit 2) naming `key` when `secret` would go to `endpoint` over plain http and is not
 * a sandbox's; the secret's value is never in the message. Pure.
 */
export function refuseSecretInClear(key: string, endpoint: EndpointRef, secret: string): void {
  // A URL that does not parse is refused too: fail closed, whatever a client library would make of it.
  if ((URL.canParse(endpoint.url) && new URL(endpoint.url).protocol === 'https:') || isSandboxSecret(secret)) return;
  throw new ConfigError(
    key,
    `is not sent to ${endpoint.url} (${endpoint.key}): over plain http a secret goes only to a sandbox, and only a sandbox's own secret (one beginning with "${SANDBOX_SECRET_PREFIX}") may go there; whatever listens on that port would read this one in clear. Use the real service's https endpoint, or the sandbox's secret (cosell sandbox --write-config)`,
  );
}

/** Resolves a secret reference (config/secrets.ts) that is to be sent to `endpoint`, refused as above. */
export async function resolveSecretFor(ref: string, key: string, endpoint: EndpointRef): Promise<string> {
  const secret = await resolveSecret(ref, key);
  refuseSecretInClear(key, endpoint, secret);
  return secret;
}
