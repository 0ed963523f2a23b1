/**
 * Who may allow a credential to go to a host that is not one of Microsoft's or Salesforce's well-known ones.
 * Not the config file: it holds only references to the secrets, so whoever may edit it was never trusted with
 * them, and a config key that allowed any host (`allowCustomEndpoints: true`, until 2026-12-06) let such a
 * person send the secrets to their own host with two edits. The consent is the operator's, who holds the
 * secrets: for a single install, the environment variable COSELL_ALLOW_ENDPOINTS of the process that reads
 * them; for a tenant of a multi-tenant install, the hosts the operator named with `cosell tenants add
 * --allow-endpoint` or `cosell tenants allow-endpoint`, kept beside the tenant, never in its config. Each
 * entry is one exact `host` or `host:port`, matched against the URL's host as a URL parser reads it (no
 * wildcard: a pattern would allow hosts nobody looked at). https is required all the same, loopback excepted
 * (a sandbox); a tenant's loopback hosts need the operator's consent as well (`loopbackNeedsConsent`). Pure.
 */
import { ConfigError } from '../core/errors.js';

export const ALLOW_ENDPOINTS_ENV = 'COSELL_ALLOW_ENDPOINTS';

export interface EndpointConsent {
  /** Exact `host` or `host:port` entries, lower case, without the default port 443. */
  hosts: readonly string[];
  /** Who gave it, as the custom verdict names it: `COSELL_ALLOW_ENDPOINTS`, `the operator for tenant X`. */
  givenBy: string;
  /** The one thing the operator does to allow all of `hosts` at once (what a refusal tells them). */
  howToAllow(hosts: readonly string[]): string;
  /**
   * Whether a loopback host needs this consent too. A single install's does not: its loopback is the admin's
   * own machine, where the sandboxes listen. A tenant's does: loopback is the worker's machine, whose other
   * services (the database's neighbours, an agent, a local proxy) the tenant's config editor was never given,
   * and a tenant pointing its endpoints there had the worker send its credentials and requests to them.
   */
  loopbackNeedsConsent?: boolean;
}

/** The canonical form of one entry (`Host:443` → `host`), or undefined when it is not exactly a host[:port]. */
export function normalisedHost(entry: string): string | undefined {
  const text = entry.trim().toLowerCase();
  if (!text || /[*/?#@\\\s]/.test(text) || !URL.canParse(`https://${text}`)) return undefined;
  const url = new URL(`https://${text}`);
  // What the URL parser made of it must be the entry itself (less a default port): no path, no user.
  return url.host === text.replace(/:443$/, '') ? url.host : undefined;
}

/** Parses a comma-separated list of hosts; a malformed entry is refused (exit 2) naming `key`. */
export function parseAllowedHosts(text: string | undefined, key: string): string[] {
  const entries = (text ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return entries.map((entry) => {
    const host = normalisedHost(entry);
    if (!host) throw new ConfigError(key, `"${entry}" is not a host or host:port (such as proxy.contoso.example or proxy.contoso.example:8443); list exact hosts, separated by commas, no scheme, path or wildcard`);
    return host;
  });
}

/** A single install's consent: COSELL_ALLOW_ENDPOINTS in the environment of the process holding the secrets. */
export function operatorConsent(env: NodeJS.ProcessEnv = process.env): EndpointConsent {
  const hosts = parseAllowedHosts(env[ALLOW_ENDPOINTS_ENV], `env > ${ALLOW_ENDPOINTS_ENV}`);
  return {
    hosts,
    givenBy: ALLOW_ENDPOINTS_ENV,
    howToAllow: (more) => `set ${ALLOW_ENDPOINTS_ENV}=${[...new Set([...hosts, ...more])].join(',')} in the environment of the process that holds the secrets (the config file cannot allow it)`,
  };
}

/** A tenant's consent: the hosts the operator allowed for it, kept beside the tenant (tenant-registry.ts). */
export function tenantConsent(tenantId: string, hosts: readonly string[]): EndpointConsent {
  return {
    hosts,
    givenBy: `the operator for tenant ${tenantId}`,
    howToAllow: (more) => `the operator allows ${more.length > 1 ? 'them' : 'it'} with: cosell tenants allow-endpoint ${tenantId} ${more.join(' ')} (a tenant's config cannot allow it)`,
    loopbackNeedsConsent: true,
  };
}

/**
 * The entry that allows `url`: its host and port, the port left out only when it is 443, as an entry without
 * one means (`normalisedHost`). Not the URL's `host`, which also leaves out http's 80: an entry given for
 * https://127.0.0.1 then allowed http://127.0.0.1/, another service of the machine.
 */
export function consentHostOf(url: URL): string {
  const port = url.port || (url.protocol === 'http:' ? '80' : '443');
  const host = url.hostname.toLowerCase();
  return port === '443' ? host : `${host}:${port}`;
}

/** Whether the consent names the host and port of `url` exactly. */
export function consentAllows(consent: EndpointConsent, url: URL): boolean {
  return consent.hosts.includes(consentHostOf(url));
}
