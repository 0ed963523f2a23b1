/**
 * The `serve` section of the config file: where `cosell serve` listens, how often its backstop poll runs,
 * and how it judges Partner Center webhook deliveries. The certificate hosts are data: Microsoft's host in
 * production (the one its webhook documentation shows in `X-MS-Certificate-Url`), the sandbox's own
 * loopback host in a sandbox config (sandbox/launch.ts writes it).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { consentHostOf } from './endpoint-consent.js';
import { isLoopbackHost } from './endpoint-policy.js';

/**
 * The host of the `X-MS-Certificate-Url` in Partner Center's webhook documentation sample
 * (`https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer`).
 */
export const MICROSOFT_CERTIFICATE_HOSTS = ['3psostorageacct.blob.core.windows.net'] as const;
/** The webhook registration API (partner-center-api.md §1.14). */
export const MICROSOFT_REGISTRATION_URL = 'https://api.partnercenter.microsoft.com/webhooks/v1/registration';

/**
 * An allow-list entry is `host`, `host:port` or an origin (`https://host`, `http://127.0.0.1:7002`); its
 * `host[:port]` in the one form a URL is compared in ({@link certificateHostAllows}): lower case, the port left
 * out only when it is 443, as COSELL_ALLOW_ENDPOINTS entries are (endpoint-consent.ts `consentHostOf`). A
 * scheme-less entry is https's (`host` is port 443); an origin's port is its scheme's (`http://127.0.0.1` is port
 * 80). Until 2026-12-07 the text was kept as written, so `host:443` never matched a URL (whose host leaves 443 out)
 * and a scheme-less `127.0.0.1` matched http on port 80.
 */
export function allowedHostOf(entry: string): string {
  const text = entry.trim().toLowerCase();
  const url = text.includes('://') ? text : `https://${text}`;
  return URL.canParse(url) ? consentHostOf(new URL(url)) : text;
}

/** Whether an entry of `entries` names the host and port of `url` (each entry as {@link allowedHostOf} reads it). Pure. */
export function certificateHostAllows(entries: readonly string[], url: URL): boolean {
  const host = consentHostOf(url);
  return entries.some((entry) => allowedHostOf(entry) === host);
}

/** An entry's host name alone (no port, no brackets), as a loopback test reads it. */
export const allowedHostName = (entry: string) => allowedHostOf(entry).replace(/:\d+$/, '').replace(/^\[|\]$/g, '');

export const serveWebhooksSchema = z
  .object({
    /** The registration API's URL (`…/webhooks/v1/registration`). */
    registrationUrl: z.url().default(MICROSOFT_REGISTRATION_URL),
    /** Hosts (`host`, `host:port` or an origin) a signing certificate may be downloaded from; any other is refused. */
    certificateHosts: z.array(z.string().min(1)).min(1).default([...MICROSOFT_CERTIFICATE_HOSTS]),
    /**
     * Accept a self-signed signing certificate (no chain to a public root). Only for the sandbox, whose
     * certificate is self-signed: allowed only when every certificate host is a loopback host.
     */
    trustSelfSigned: z.boolean().default(false),
    /** Events whose `ResourceChangeUtcDate` is older than this are refused as replays (409). */
    maxEventAgeMinutes: z.number().min(1).max(7 * 24 * 60).default(60),
    /** Register with `SignatureTokenToMsSignatureHeader` (the signature in `x-ms-signature`), as Microsoft's connector does. */
    signatureInMsHeader: z.boolean().default(true),
  })
  .strict()
  .refine((w) => !w.trustSelfSigned || w.certificateHosts.every((h) => isLoopbackHost(allowedHostName(h))), {
    message: 'trustSelfSigned is only allowed when every certificate host is a loopback host (the sandbox)',
    path: ['trustSelfSigned'],
  });

/** proxy-addr's named ranges, which fastify's `trustProxy` accepts beside addresses and CIDR ranges. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address (`10.0.0.5`), a CIDR range (`10.0.0.0/8`, `fd00::/8`) or a named range (`loopback`). */
function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** The port `cosell serve` listens on unless told otherwise. */
export const DEFAULT_SERVE_PORT = 8080;

export const serveSchema = z
  .object({
    port: z.number().int().min(0).max(65_535).default(DEFAULT_SERVE_PORT),
    /** The address to listen on; 127.0.0.1 behind a reverse proxy, 0.0.0.0 in a container. */
    host: z.string().min(1).default('127.0.0.1'),
    /** The https URL Partner Center reaches this service at (the reverse proxy's or load balancer's). */
    publicUrl: z.url().optional(),
    /** Minutes between backstop polls of the change feeds (webhooks do not replace them). */
    pollIntervalMinutes: z.number().min(0.05).max(24 * 60).default(15),
    /** `/readyz` fails when the oldest referral waiting for the CRM is older than this. */
    maxLagMinutes: z.number().min(1).max(7 * 24 * 60).default(60),
    /**
     * The reverse proxies whose `X-Forwarded-For` names the client: addresses, CIDR ranges or `loopback`
     * (core/serve/trust-proxy.ts). None by default: every client is known by its socket address. `true`
     * trusts every peer, so any client can forge its address (`cosell check` and the start warn).
     */
    trustProxy: z.union([z.boolean(), z.array(z.string().refine(isProxyAddress, 'must be an IP address, a CIDR range (10.0.0.0/8) or loopback, linklocal, uniquelocal'))]).default([]),
    webhooks: serveWebhooksSchema.default({
      registrationUrl: MICROSOFT_REGISTRATION_URL,
      certificateHosts: [...MICROSOFT_CERTIFICATE_HOSTS],
      trustSelfSigned: false,
      maxEventAgeMinutes: 60,
      signatureInMsHeader: true,
    }),
  })
  .strict();

export type ServeSettings = z.infer<typeof serveSchema>;
export type ServeSettingsInput = z.input<typeof serveSchema>;
export const DEFAULT_SERVE_SETTINGS: ServeSettings = serveSchema.parse({});
