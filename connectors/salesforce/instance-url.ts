/**
 * Salesforce's token response names the instance every later request (with the session ID) goes to
 * (`instance_url`). That is server-supplied, so it is accepted only where the configuration says the org
 * lives: the configured instanceUrl when there is one; otherwise the login host's origin or an https
 * Salesforce host. Pure.
 */
import { isWellKnownHost } from '../../config/endpoint-policy.js';
import { CredentialOriginError } from '../../core/http/credential-origin.js';

const SALESFORCE_HOSTS = ['*.salesforce.com', '*.force.com'] as const;

/** Returns the instance URL when allowed; throws CredentialOriginError (before any request carries the token) otherwise. */
export function checkInstanceUrl(received: string | undefined, options: { loginUrl: string; instanceUrl?: string | undefined }): string {
  // The key that decides where the session may go: the admin fixes it (or the org) when they disagree.
  const key = options.instanceUrl ? 'crm > salesforce > instanceUrl' : 'crm > salesforce > loginUrl';
  let url: URL;
  try {
    url = new URL(received ?? '');
  } catch {
    throw new CredentialOriginError('Salesforce', `${String(received ?? '(none)')}, the instance its token answer named,`, options.instanceUrl ?? options.loginUrl, key);
  }
  const configured = options.instanceUrl ? new URL(options.instanceUrl).origin : undefined;
  const allowed = configured
    ? url.origin === configured
    : url.origin === new URL(options.loginUrl).origin || (url.protocol === 'https:' && isWellKnownHost(url.hostname, SALESFORCE_HOSTS));
  if (!allowed) throw new CredentialOriginError('Salesforce', `${url.origin}, the instance its token answer named,`, configured ?? `${new URL(options.loginUrl).origin} or an https Salesforce host`, key);
  return received as string;
}
