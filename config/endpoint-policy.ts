/**
 * The outbound-endpoint policy: the one place that decides where the connector may send a credential.
 * A config file is meant to be committed and shown, so one edited URL must not be able to hand a token or
 * a client secret to another host. Every configured URL must be https (loopback excepted: the sandboxes),
 * and must be one of Microsoft's or Salesforce's well-known hosts; any other host needs the operator's
 * consent (endpoint-consent.ts: COSELL_ALLOW_ENDPOINTS, or a tenant's allowed endpoints), never the
 * config's own say, and is logged at warn on every start. Pure apart from `warnCustomEndpoints`.
 */
import { ConfigError } from '../core/errors.js';
import { consentAllows, consentHostOf, type EndpointConsent } from './endpoint-consent.js';

/** One configured URL the connector will talk to, named by its config path. */
export interface EndpointRef {
  /** The config path, as `partnerCenter > baseUrl` or `crm > dynamics > authorityMetadata > token_endpoint`. */
  key: string;
  url: string;
  /**
   * Where the token this endpoint receives is issued (a Microsoft token endpoint, Salesforce's login URL), or
   * where it is good (a Salesforce JWT assertion's audience, the org that gives a session for it).
   * A token a real sign-in issued must not travel over http, even to loopback: any local user can listen there.
   */
  tokenFrom?: EndpointRef;
  /**
   * A forward proxy the credentials pass through: it relays TLS it cannot read (CONNECT), so its own URL may be
   * plain http, but it is a host the process connects to and that sees where the credentials go, judged as any.
   */
  proxy?: boolean;
}

export type EndpointVerdictKind = 'well-known' | 'loopback' | 'custom' | 'refused';

export interface EndpointVerdict extends EndpointRef {
  verdict: EndpointVerdictKind;
  /** Why, in one sentence an admin reads. */
  reason: string;
}

/** Exact hosts and `*.suffix` patterns the vendors document for their public clouds. */
export const WELL_KNOWN_HOSTS: readonly string[] = [
  'login.microsoftonline.com',
  'api.partner.microsoft.com',
  // The webhook registration API (partner-center-api.md §1.14).
  'api.partnercenter.microsoft.com',
  'graph.microsoft.com',
  '*.dynamics.com',
  '*.salesforce.com',
  '*.force.com',
];

/** The words of a refusal that the operator's consent would lift, before what to do. */
const CONSENT_ASKED = 'to send credentials there,';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * 127.0.0.0/8, ::1 and `localhost`: traffic that never leaves the machine. Not `*.localhost`: Node resolves
 * such a name through getaddrinfo (nsswitch, then DNS) like any other, so whoever answers the query
 * decides where a request to it goes; only browsers map it to loopback themselves ({@link isBrowserLoopbackName}).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A name a browser sends to loopback without asking DNS: those above and `*.localhost` (RFC 6761 §6.3). */
export function isBrowserLoopbackName(hostname: string): boolean {
  return isLoopbackHost(hostname) || hostname.toLowerCase().endsWith('.localhost');
}

export function isWellKnownHost(hostname: string, patterns: readonly string[] = WELL_KNOWN_HOSTS): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern));
}

/** What a judgement weighs besides the URL: the operator's consent, and whether the config asks (the old key). */
export interface EndpointJudgement {
  consent: EndpointConsent;
  /**
   * The config's `allowCustomEndpoints`. It allows nothing (a config's editor is not trusted with the secrets);
   * a refusal says so, for the installs that relied on it before 2026-12-06.
   */
  allowCustomEndpoints?: boolean;
}

/**
 * Judges one URL. `refusedHosts`: every host of the same config that needs the operator's consent, so one
 * refusal tells the one step that allows them all rather than one host per attempt.
 */
export function judgeEndpoint(ref: EndpointRef, judgement: EndpointJudgement, refusedHosts: readonly string[] = []): EndpointVerdict {
  let url: URL;
  try {
    url = new URL(ref.url);
  } catch {
    return { ...ref, verdict: 'refused', reason: 'not a URL' };
  }
  if (url.username || url.password) {
    // The verdict's URL is quoted by the refusal and by `cosell check` (a tenant's, in the worker's log): not its password.
    url.username = '';
    url.password = '';
    return { ...ref, url: url.href, verdict: 'refused', reason: 'a URL must not carry a user name or password (left out here)' };
  }
  if (isLoopbackHost(url.hostname)) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ...ref, verdict: 'refused', reason: `the scheme ${url.protocol} is not http or https` };
    const realIssuer = url.protocol === 'http:' ? realTokenIssuer(ref.tokenFrom) : undefined;
    if (realIssuer) {
      return { ...ref, verdict: 'refused', reason: `http is allowed on loopback for a sandbox's sign-in only, and the token sent here is issued by ${realIssuer.key} (${new URL(realIssuer.url).host}), a real one, which http would carry in clear; use https, or a sandbox sign-in (cosell sandbox --write-config)` };
    }
    return judgement.consent.loopbackNeedsConsent ? judgeConsentedLoopback(ref, url, judgement.consent, refusedHosts) : { ...ref, verdict: 'loopback', reason: 'loopback (this machine only)' };
  }
  const relaysTls = ref.proxy === true && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !relaysTls) return { ...ref, verdict: 'refused', reason: `must be https (${url.protocol.replace(':', '')} would send credentials in clear)` };
  if (isWellKnownHost(url.hostname)) return { ...ref, verdict: 'well-known', reason: `a well-known Microsoft or Salesforce host` };
  if (consentAllows(judgement.consent, url)) return { ...ref, verdict: 'custom', reason: `${url.host} is not a well-known Microsoft or Salesforce host; allowed by ${judgement.consent.givenBy}` };
  const legacy = judgement.allowCustomEndpoints ? `; allowCustomEndpoints: true in the config no longer allows any host, since whoever edits the config was never given the secrets` : '';
  const byReference = ref.proxy ? ` (or give the proxy's URL as a secret reference, env:NAME or file:/path, which the operator sets)` : '';
  return { ...ref, verdict: 'refused', reason: `${url.host} is not a well-known Microsoft or Salesforce host (${WELL_KNOWN_HOSTS.join(', ')})${legacy}; ${CONSENT_ASKED} ${judgement.consent.howToAllow([...new Set([consentHostOf(url), ...refusedHosts])])}${byReference}` };
}

/**
 * Loopback where it needs the operator's consent (a tenant's: the worker's machine). Allowed, it is a custom
 * endpoint (warned at every load); refused, the reason asks for the consent as for any custom host, so that
 * one refusal names every host to allow.
 */
function judgeConsentedLoopback(ref: EndpointRef, url: URL, consent: EndpointConsent, refusedHosts: readonly string[]): EndpointVerdict {
  if (consentAllows(consent, url)) return { ...ref, verdict: 'custom', reason: `${url.host} is on this machine (loopback); allowed by ${consent.givenBy}` };
  return {
    ...ref,
    verdict: 'refused',
    reason: `${consentHostOf(url)} is on the machine the connector runs on (loopback), where the connector's own and other local services listen; ${CONSENT_ASKED} ${consent.howToAllow([...new Set([consentHostOf(url), ...refusedHosts])])}`,
  };
}

/** `issuer` when it is off this machine (a real sign-in, not a sandbox's); undefined otherwise. */
function realTokenIssuer(issuer: EndpointRef | undefined): EndpointRef | undefined {
  if (!issuer || !URL.canParse(issuer.url)) return undefined;
  return isLoopbackHost(new URL(issuer.url).hostname) ? undefined : issuer;
}

/** The host a refusal asks consent for, or undefined for any other verdict. */
function consentHost(verdict: EndpointVerdict): string | undefined {
  return verdict.verdict === 'refused' && verdict.reason.includes(CONSENT_ASKED) ? consentHostOf(new URL(verdict.url)) : undefined;
}

export function judgeEndpoints(refs: readonly EndpointRef[], judgement: EndpointJudgement): EndpointVerdict[] {
  const first = refs.map((ref) => judgeEndpoint(ref, judgement));
  const hosts = [...new Set(first.map(consentHost).filter((h): h is string => h !== undefined))];
  return hosts.length > 1 ? refs.map((ref) => judgeEndpoint(ref, judgement, hosts)) : first;
}

/** Throws a ConfigError (exit 2) naming the first refused key and every other one; returns every verdict otherwise. */
export function enforceEndpointPolicy(refs: readonly EndpointRef[], judgement: EndpointJudgement): EndpointVerdict[] {
  const verdicts = judgeEndpoints(refs, judgement);
  const [refused, ...more] = verdicts.filter((v) => v.verdict === 'refused');
  if (!refused) return verdicts;
  const also = more.length ? `. Also refused: ${more.map((v) => `${v.key} (${v.url})`).join(', ')}` : '';
  throw new ConfigError(refused.key, `${refused.url} is refused: ${refused.reason}${also}`);
}

/**
 * msal's `authorityMetadata` JSON names the hosts msal sends the client secret and codes to. A value is
 * judged whenever a URL parser reads it as a URL, as msal's requests do: that parser drops leading blanks
 * and control characters and reads `https:host` as `https://host`, so a test on the text's spelling
 * (`scheme://…`) let such a value through unjudged.
 */
export function authorityMetadataEndpoints(key: string, metadata: string | undefined): EndpointRef[] {
  if (!metadata) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    throw new ConfigError(key, 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new ConfigError(key, 'must be a JSON object');
  return Object.entries(parsed as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && URL.canParse(entry[1]))
    .map(([name, url]) => ({ key: `${key} > ${name}`, url }));
}

/**
 * Where an Entra authority's tokens are issued: msal asks its `authorityMetadata`'s token endpoint when one
 * is given (the sandboxes give a loopback one, beside a real-looking authority), the authority otherwise.
 */
export function entraTokenIssuer(prefix: string, authority: string, metadata: string | undefined): EndpointRef {
  return authorityMetadataEndpoints(`${prefix} > authorityMetadata`, metadata).find((ref) => ref.key.endsWith(' > token_endpoint')) ?? { key: `${prefix} > authority`, url: authority };
}

/** The origin (`https://host:port`) of a URL; requests carrying a credential must match it exactly. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** Logged on every start, so a custom endpoint is never silently in place. */
export function warnCustomEndpoints(verdicts: readonly EndpointVerdict[], logger: { warn: (obj: object, msg: string) => void }): void {
  for (const v of verdicts.filter((x) => x.verdict === 'custom')) {
    logger.warn({ event: 'endpoint.custom', key: v.key, url: v.url }, `custom endpoint in use: ${v.key} = ${v.url} (${v.reason})`);
  }
}
