/**
 * Who may add a host that `cosell serve` fetches webhook signing certificates from. Not the config file: a
 * host on `serve > webhooks > certificateHosts` is one whose answers the service fetches whenever anyone
 * posts to the public webhook URL (with any path and query the post names in `X-MS-Certificate-Url`), and
 * whose certificates, chained to a public root with organisation "Microsoft Corporation", are trusted for
 * every delivery. Until 2026-12-07 whoever edited the config could add any host there, so that
 * unauthenticated posts made the service fetch from a host of the machine's network (an internal service,
 * the cloud's metadata address) and report its status. Microsoft's documented host and loopback (the
 * sandbox, as for the credential endpoints of a single install) need nothing; any other host needs the
 * operator's consent, COSELL_ALLOW_CERTIFICATE_HOSTS in the environment of the process that serves webhooks:
 * its own variable, since trusting a host's certificates is not sending it credentials (COSELL_ALLOW_ENDPOINTS).
 */
import { ConfigError } from '../core/errors.js';
import { vouchForHosts } from '../core/http/address-guard.js';
import { normalisedHost, parseAllowedHosts } from './endpoint-consent.js';
import { isLoopbackHost } from './endpoint-policy.js';
import { allowedHostName, allowedHostOf, MICROSOFT_CERTIFICATE_HOSTS } from './serve.js';

export const ALLOW_CERTIFICATE_HOSTS_ENV = 'COSELL_ALLOW_CERTIFICATE_HOSTS';

/** The entries of `certificateHosts` that need the operator's consent and lack it, each with its key. Pure. */
export function certificateHostProblems(entries: readonly string[], env: NodeJS.ProcessEnv): { path: string; host: string }[] {
  const allowed = parseAllowedHosts(env[ALLOW_CERTIFICATE_HOSTS_ENV], `env > ${ALLOW_CERTIFICATE_HOSTS_ENV}`);
  const known: readonly string[] = MICROSOFT_CERTIFICATE_HOSTS;
  return entries.flatMap((entry, i) => {
    const host = normalisedHost(allowedHostOf(entry)) ?? allowedHostOf(entry);
    if (known.includes(host) || isLoopbackHost(allowedHostName(entry)) || allowed.includes(host)) return [];
    return [{ path: `serve > webhooks > certificateHosts > ${i}`, host }];
  });
}

/** Throws a ConfigError (exit 2) naming the first host without consent and the one setting that allows them all. */
export function enforceCertificateHosts(entries: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const problems = certificateHostProblems(entries, env);
  // The operator's hosts may resolve to this machine or a private network at fetch time (core/http/address-guard.ts).
  if (problems.length === 0) return vouchForHosts(parseAllowedHosts(env[ALLOW_CERTIFICATE_HOSTS_ENV], `env > ${ALLOW_CERTIFICATE_HOSTS_ENV}`));
  const already = parseAllowedHosts(env[ALLOW_CERTIFICATE_HOSTS_ENV], `env > ${ALLOW_CERTIFICATE_HOSTS_ENV}`);
  const hosts = [...new Set([...already, ...problems.map((p) => p.host)])];
  const others = problems.slice(1).map((p) => `${p.path} (${p.host})`);
  throw new ConfigError(
    problems[0]!.path,
    `${problems[0]!.host} is not Microsoft's webhook certificate host (${MICROSOFT_CERTIFICATE_HOSTS.join(', ')}) nor loopback: the service would fetch from it for anyone who posts to the webhook, and trust its certificates; to allow it, set ${ALLOW_CERTIFICATE_HOSTS_ENV}=${hosts.join(',')} in the environment of the process that serves webhooks (the config file cannot allow it)${others.length ? `. Also without consent: ${others.join(', ')}` : ''}`,
  );
}
