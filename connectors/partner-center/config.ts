/**
 * Options of the Partner Center referrals client, as a zod schema so that `cosell check` and the config
 * loader report mistakes with a path (`partnerCenter > tokenCachePath`). Secrets are never options: the
 * token-cache key is read from the environment variable named by `tokenKeyEnv`.
 */
import { z } from 'zod';
import { authorityMetadataEndpoints, entraTokenIssuer, type EndpointRef } from '../../config/endpoint-policy.js';

/** The production API; the sandbox passes its own URL. */
export const DEFAULT_BASE_URL = 'https://api.partner.microsoft.com';
/** Referrals accept App+User tokens for this resource only (partner-center-api.md §1.2). */
export const PARTNER_CENTER_SCOPE = 'https://api.partner.microsoft.com/.default';
export const DEFAULT_TOKEN_KEY_ENV = 'COSELL_TOKEN_KEY';
/** What an admin must run when the stored sign-in is missing, revoked or expired. */
export const LOGIN_COMMAND = 'cosell login partner-center';
/** Under `.state/`, which git ignores; the file is encrypted anyway. */
export const DEFAULT_TOKEN_CACHE_PATH = '.state/partner-center/token-cache.json';

const httpsAuthority = z
  .url()
  // msal-node refuses http authorities (`authority_uri_insecure`, wire-protocols.md §5.1).
  .refine((value) => value.startsWith('https://'), 'the authority must be an https URL (use authorityMetadata to redirect the token endpoint)');

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

export const retryOptionsSchema = z.object({
  /** Retries after the first attempt of one request. */
  retries: z.number().int().min(0).max(20).default(6),
  /** Exponential backoff base and ceiling, with full jitter. */
  baseMs: z.number().int().min(0).default(500),
  maxMs: z.number().int().min(0).default(30_000),
  /** Longest `Retry-After` honoured; tests cap it at a few ms. */
  maxRetryAfterMs: z.number().int().min(0).default(300_000),
}).strict();
export type RetryOptionsConfig = z.infer<typeof retryOptionsSchema>;

export const partnerCenterClientOptionsSchema = z.object({
  /** API origin; the client appends `/v1.0/engagements/referrals`. */
  baseUrl: z.url().default(DEFAULT_BASE_URL),
  /** Entra ID authority, e.g. `https://login.microsoftonline.com/organizations` or a tenant GUID. */
  authority: httpsAuthority.default('https://login.microsoftonline.com/organizations'),
  /** msal `authorityMetadata` JSON: points the token endpoint elsewhere (the Entra sandbox) with no discovery call. */
  authorityMetadata: z.string().optional(),
  /** The public client (App registration) used for device-code sign-in. */
  clientId: z.string().min(1),
  scopes: z.array(z.string().min(1)).min(1).default([PARTNER_CENTER_SCOPE]),
  /** Where the encrypted msal token cache lives. */
  tokenCachePath: z.string().min(1).default(DEFAULT_TOKEN_CACHE_PATH),
  /** Name of the environment variable holding the cache key (32 bytes base64, or a passphrase). */
  tokenKeyEnv: envName.default(DEFAULT_TOKEN_KEY_ENV),
  /**
   * `device-code`: a person signs in once (`cosell login partner-center`), runs refresh silently.
   * `password`: scripted App+User tokens for CI (password grant through a confidential client); the
   * credentials are read from the environment variables named in `scripted`, never from this file.
   */
  authMode: z.enum(['device-code', 'password']).default('device-code'),
  scripted: z
    .object({
      usernameEnv: envName.default('COSELL_PC_USERNAME'),
      passwordEnv: envName.default('COSELL_PC_PASSWORD'),
      clientSecretEnv: envName.default('COSELL_PC_CLIENT_SECRET'),
    })
    .strict()
    .default({ usernameEnv: 'COSELL_PC_USERNAME', passwordEnv: 'COSELL_PC_PASSWORD', clientSecretEnv: 'COSELL_PC_CLIENT_SECRET' }),
  /** Change feed: how far behind the watermark each run starts again, to catch late-committed updates. */
  overlapMs: z.number().int().min(0).max(86_400_000).default(120_000),
  /** Per-request timeout; a timed-out request counts as a network failure. */
  timeoutMs: z.number().int().min(1).default(30_000),
  retry: retryOptionsSchema.default({ retries: 6, baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 }),
  /**
   * Creates and updates the engine keeps in flight at once (the API has no batch). A 429's Retry-After
   * pauses every request of the client, not only the throttled one. Partner Center documents no
   * concurrency limit for the referrals API: 4 is our own, modest choice (UNVERIFIED against the live
   * service's throttling thresholds).
   */
  concurrency: z.number().int().min(1).max(16).default(4),
  /** Most HTTP requests one client instance (one run) may send; unset = unlimited. */
  requestBudget: z.number().int().min(1).optional(),
  // Strict: a misspelt key would otherwise leave its default in force with no word to the admin.
}).strict();

export type PartnerCenterClientOptions = z.infer<typeof partnerCenterClientOptionsSchema>;
export type PartnerCenterClientOptionsInput = z.input<typeof partnerCenterClientOptionsSchema>;

/** Parses options, throwing zod's error (with paths) when they are wrong. */
export function parsePartnerCenterOptions(input: PartnerCenterClientOptionsInput): PartnerCenterClientOptions {
  return partnerCenterClientOptionsSchema.parse(input);
}

/** Where the Partner Center client's tokens are issued (endpoint policy: a real one never travels over http). */
export function partnerCenterTokenIssuer(options: Pick<PartnerCenterClientOptions, 'authority' | 'authorityMetadata'>, prefix = 'partnerCenter'): EndpointRef {
  return entraTokenIssuer(prefix, options.authority, options.authorityMetadata);
}

/** Every URL the Partner Center client sends a credential to, named by its config path (endpoint policy). */
export function partnerCenterEndpoints(options: Pick<PartnerCenterClientOptions, 'baseUrl' | 'authority' | 'authorityMetadata'>, prefix = 'partnerCenter'): EndpointRef[] {
  return [
    { key: `${prefix} > baseUrl`, url: options.baseUrl, tokenFrom: partnerCenterTokenIssuer(options, prefix) },
    { key: `${prefix} > authority`, url: options.authority },
    ...authorityMetadataEndpoints(`${prefix} > authorityMetadata`, options.authorityMetadata),
  ];
}
