/**
 * The Salesforce proxy's URL. A proxy that asks for a user and password is a secret, so its URL may be
 * given by reference (`env:NAME`, `file:/path`; config.ts refuses one with credentials in clear); it is
 * read when the connection is made, as the other secrets are, and its password is filtered from messages.
 */
import { resolveSecret } from '../../config/secrets.js';
import { ConfigError, registerSecret } from '../../core/errors.js';
import { SECRET_REFERENCE } from './config.js';

const KEY = 'crm > salesforce > httpProxy';

/**
 * `resolve` is the one the connection's other secrets use (a tenant's: resolveTenantSecret, which confines
 * its files to the tenant's folder); the global resolver only for a single install.
 */
export async function proxyUrl(configured: string | undefined, resolve: (ref: string) => Promise<string> = (ref) => resolveSecret(ref, KEY)): Promise<string | undefined> {
  if (!configured || !SECRET_REFERENCE.test(configured)) return configured;
  const url = (await resolve(configured)).trim();
  if (!URL.canParse(url)) throw new ConfigError(KEY, `the value ${configured} holds is not a URL (expected http://user:password@proxy.example:3128)`);
  // The password alone may reach a message (decoded, or quoted by the proxy agent): filtered as secrets are.
  const { password } = new URL(url);
  if (password) {
    registerSecret(password);
    registerSecret(decodeURIComponent(password));
  }
  return url;
}
