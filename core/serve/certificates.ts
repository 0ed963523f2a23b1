/**
 * The certificates Partner Center signs webhook events with, fetched from the event's
 * `X-MS-Certificate-Url` — but only from an allow-listed host (config `serve > webhooks >
 * certificateHosts`), over https unless the host is loopback (the sandbox), and cached by URL.
 *
 * Each certificate is checked as Partner Center's webhook documentation asks ("verify the certificate
 * chain", "verify the Organization", partner-center-api.md §1.14): within its validity dates, subject
 * organisation "Microsoft Corporation", and issued by a trusted root (Node's bundled public roots),
 * directly or through intermediates named in its "CA Issuers" access information (fetched from the same
 * allow-list). A self-signed certificate is trusted only when the config says so (the sandbox's).
 */
import { rootCertificates } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { isLoopbackHost } from '../../config/endpoint-policy.js';
import { allowedHostOf, certificateHostAllows } from '../../config/serve.js';
import { FetchBudget } from './fetch-budget.js';
import { installAddressGuard } from '../http/address-guard.js';

export class CertificateRefused extends Error {}

export interface CertificateSettings {
  certificateHosts: readonly string[];
  trustSelfSigned: boolean;
}

const REQUIRED_ORGANIZATION = 'Microsoft Corporation';
const MAX_CHAIN = 4;
/**
 * Where Microsoft's and its CA's intermediate certificates are published (their "CA Issuers" URLs).
 * UNVERIFIED for the webhook signing certificate's own chain: no document names its issuer.
 */
const ISSUER_HOSTS = ['www.microsoft.com', 'cacerts.digicert.com'];
const MAX_CERTIFICATE_BYTES = 64 * 1024;
/** A cached certificate is fetched again after this long (Microsoft may renew it at the same URL). */
const CACHE_MS = 60 * 60_000;
/** Certificate URLs fetched at most per minute (fetch-budget.ts says why); a cached one costs nothing. */
export const MAX_NEW_CERTIFICATE_URLS_PER_MINUTE = 5;
/**
 * Certificate URLs kept at most, the least recently used let go first. Partner Center signs at one URL, so
 * the others are URLs forged posts named (a fresh query string on the allow-listed host serves the same
 * certificate): kept without a bound, the budget's 5 a minute grew the cache for as long as a flood went
 * on (7,200 a day). Partner Center's own, used by each of its deliveries, stays, and with it the stale copy
 * that serves while the budget is spent; an unused one lasts over three hours of such a flood.
 */
export const MAX_CACHED_CERTIFICATE_URLS = 1000;

/** Parses a certificate in PEM or DER (a `.cer` file may be either). */
export function parseCertificate(bytes: Buffer): X509Certificate {
  return new X509Certificate(bytes);
}

function organizationOf(subject: string): string[] {
  return subject.split('\n').filter((line) => line.startsWith('O=')).map((line) => line.slice(2));
}

/** Why `url` may not be fetched, or undefined when it may. Pure. */
export function refuseCertificateUrl(url: string, allowedHosts: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the certificate URL is not a URL';
  }
  if (parsed.username || parsed.password) return 'the certificate URL carries credentials';
  // The scheme first: http's port (80) is not an entry's (443), and "must be https" is what to fix.
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) return 'the certificate URL must be https';
  if (!certificateHostAllows(allowedHosts, parsed)) return `the certificate host ${parsed.host.toLowerCase()} is not allow-listed (serve > webhooks > certificateHosts)`;
  return undefined;
}

/** Why `certificate` cannot sign webhooks at `now`, or undefined when its dates and organisation are right. Pure. */
export function refuseCertificate(certificate: X509Certificate, now: Date): string | undefined {
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) return `the signing certificate is not valid now (valid ${certificate.validFrom} to ${certificate.validTo})`;
  if (!organizationOf(certificate.subject).includes(REQUIRED_ORGANIZATION)) return `the signing certificate's organisation is not "${REQUIRED_ORGANIZATION}"`;
  return undefined;
}

const isSelfSigned = (c: X509Certificate) => c.checkIssued(c) && c.verify(c.publicKey);
const issuedBy = (c: X509Certificate, issuer: X509Certificate) => c.checkIssued(issuer) && c.verify(issuer.publicKey);

function caIssuerUrls(c: X509Certificate): string[] {
  return (c.infoAccess ?? '').split('\n').filter((line) => line.startsWith('CA Issuers - URI:')).map((line) => line.slice('CA Issuers - URI:'.length));
}

export class CertificateStore {
  private readonly cache = new Map<string, { certificate: X509Certificate; fetchedMs: number }>();
  /** Fetches under way, by URL: deliveries that arrive together share one. */
  private readonly fetching = new Map<string, Promise<X509Certificate>>();
  private readonly budget: FetchBudget;
  private roots: X509Certificate[] | undefined;

  constructor(
    private readonly settings: CertificateSettings,
    private readonly fetchBytes: (url: string) => Promise<Buffer> = fetchCertificateBytes,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.budget = new FetchBudget(MAX_NEW_CERTIFICATE_URLS_PER_MINUTE, () => this.now().getTime());
  }

  /** How many certificate URLs are kept (at most MAX_CACHED_CERTIFICATE_URLS). */
  get cachedUrls(): number {
    return this.cache.size;
  }

  /** The verified signing certificate at `url`; throws CertificateRefused saying why not. */
  async signingCertificate(url: string): Promise<X509Certificate> {
    const refusedUrl = refuseCertificateUrl(url, this.settings.certificateHosts);
    if (refusedUrl) throw new CertificateRefused(refusedUrl);
    const cached = this.cache.get(url);
    if (cached) {
      // Used now: the newest in the cache's order, the last to be let go.
      this.cache.delete(url);
      this.cache.set(url, cached);
    }
    const certificate = cached && this.now().getTime() - cached.fetchedMs < CACHE_MS ? cached.certificate : await this.fetchOnce(url, cached?.certificate);
    const refused = refuseCertificate(certificate, this.now());
    if (refused) throw new CertificateRefused(refused);
    return certificate;
  }

  /**
   * Fetches and verifies `url`'s certificate, once however many deliveries wait for it, within the budget.
   * Out of budget, a certificate fetched before at this URL (due to be fetched again) still serves.
   */
  private fetchOnce(url: string, stale: X509Certificate | undefined): Promise<X509Certificate> {
    const under = this.fetching.get(url);
    if (under) return under;
    if (!this.budget.take()) return stale ? Promise.resolve(stale) : Promise.reject(new CertificateRefused(`too many new certificate URLs in the last minute (at most ${MAX_NEW_CERTIFICATE_URLS_PER_MINUTE}); ${url} was not fetched`));
    const fetched = this.fetchVerified(url).finally(() => this.fetching.delete(url));
    this.fetching.set(url, fetched);
    return fetched;
  }

  private async fetchVerified(url: string): Promise<X509Certificate> {
    const certificate = await this.fetchCertificate(url);
    const refused = refuseCertificate(certificate, this.now());
    if (refused) throw new CertificateRefused(refused);
    await this.verifyChain(certificate);
    this.cache.delete(url);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size < MAX_CACHED_CERTIFICATE_URLS) break;
      this.cache.delete(oldest);
    }
    this.cache.set(url, { certificate, fetchedMs: this.now().getTime() });
    return certificate;
  }

  private async fetchCertificate(url: string): Promise<X509Certificate> {
    try {
      return parseCertificate(await this.fetchBytes(url));
    } catch (error) {
      throw new CertificateRefused(`the signing certificate could not be fetched or read from ${url}: ${(error as Error).message}`);
    }
  }

  private async verifyChain(certificate: X509Certificate): Promise<void> {
    if (isSelfSigned(certificate)) {
      if (this.settings.trustSelfSigned) return;
      throw new CertificateRefused('the signing certificate is self-signed (trusted only with serve > webhooks > trustSelfSigned, for the sandbox)');
    }
    this.roots ??= rootCertificates.map((pem) => new X509Certificate(pem));
    let current = certificate;
    for (let depth = 0; depth < MAX_CHAIN; depth += 1) {
      if (this.roots.some((root) => issuedBy(current, root))) return;
      const next = await this.issuerOf(current);
      if (!next) break;
      if (this.now() > new Date(next.validTo)) throw new CertificateRefused(`an issuing certificate (${next.subject.replace(/\n/g, ', ')}) has expired`);
      current = next;
    }
    throw new CertificateRefused('the signing certificate does not chain to a trusted root');
  }

  private async issuerOf(c: X509Certificate): Promise<X509Certificate | undefined> {
    for (const url of caIssuerUrls(c)) {
      // An issuer is proved by its signature on `c`, so plain http is fine (on its default port, as an entry
      // without a port: CA Issuers URLs are http on 80); the host must still be known.
      const host = URL.canParse(url) ? new URL(url).host.toLowerCase() : '';
      if (![...this.settings.certificateHosts, ...ISSUER_HOSTS].some((h) => allowedHostOf(h) === host)) continue;
      const issuer = await this.fetchCertificate(url).catch(() => undefined);
      if (issuer && issuedBy(c, issuer)) return issuer;
    }
    return undefined;
  }
}

async function fetchCertificateBytes(url: string): Promise<Buffer> {
  installAddressGuard();
  // No redirects: a redirect could lead off the allow-list.
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_CERTIFICATE_BYTES) throw new Error('the answer is too large for a certificate');
  return bytes;
}
