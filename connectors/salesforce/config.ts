/**
 * Options of the Salesforce adapter. The lead composes this schema into the config file's schema
 * (`crm > salesforce`). Secrets are never values here, only references (`env:NAME`, `file:/path`) that
 * the adapter's `resolveSecret` dependency turns into values at connect time.
 */
import { z } from 'zod';
import type { EndpointRef } from '../../config/endpoint-policy.js';
import { SALES_STAGES } from '../../core/model/sales-stage.js';
import { isStageTableValue, type StageTableValue } from '../../mappings/stages.salesforce.js';
import { DEFAULT_FIELD_TABLE } from '../../mappings/fields.salesforce.js';
import { onlyKnownKeys } from '../../config/known-keys.js';

const secretRef = z
  .string()
  .regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, 'must be a secret reference such as env:SF_PRIVATE_KEY or file:/path/key.pem, never the secret itself');

const url = z.string().url().refine((u) => !u.endsWith('/'), 'no trailing slash');

export const salesforceAuthSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('jwt'),
    /** The integration user the connected app acts as (JWT `sub`). */
    username: z.string().min(3),
    /** RSA private key (PEM) whose certificate is uploaded to the connected app. */
    privateKey: secretRef,
    /** JWT `aud`: https://login.salesforce.com, https://test.salesforce.com or the My Domain URL. Defaults to loginUrl. */
    audience: url.optional(),
  }).strict(),
  z.object({
    kind: z.literal('client_credentials'),
    clientSecret: secretRef,
  }).strict(),
]);

/** A value that names where a secret is, rather than being one (proxy-url.ts reads it at connect time). */
export const SECRET_REFERENCE = /^(env|file):/;

/**
 * A proxy URL in the file, or a reference to one. A URL with a user name or password in it would keep the
 * proxy's credentials in clear in the config file and in the tenant registry (PostgreSQL), which hold
 * only references to every other secret; the refusal names the key and never quotes the value.
 */
function proxyUrlOrReference(value: string, ctx: z.RefinementCtx): void {
  if (SECRET_REFERENCE.test(value)) {
    if (!secretRef.safeParse(value).success) ctx.addIssue({ code: 'custom', message: 'must be a secret reference such as env:SF_HTTP_PROXY or file:/path/proxy-url, or a proxy URL' });
    return;
  }
  const parsed = URL.canParse(value) ? new URL(value) : undefined;
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    return void ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL such as http://proxy.contoso.example:3128, or a secret reference (env:NAME, file:/path) to one' });
  }
  if (parsed.username || parsed.password) {
    ctx.addIssue({ code: 'custom', message: 'holds the proxy\'s user name or password in clear: give the whole proxy URL as a secret reference instead (env:SF_HTTP_PROXY or file:/path/proxy-url)' });
  }
}

const stageValue = z.custom<StageTableValue>(isStageTableValue, { message: `must be one of ${[...SALES_STAGES, 'Lost'].join(', ')}` });

export const salesforceOptionsSchema = z.object({
  /** Where the token endpoint is: login.salesforce.com, test.salesforce.com or the org's My Domain. */
  loginUrl: url.default('https://login.salesforce.com'),
  /** The org's instance URL; normally taken from the token response. */
  instanceUrl: url.optional(),
  /** The connected app's consumer key. */
  clientId: z.string().min(1),
  auth: salesforceAuthSchema,
  /** REST API version; jsforce's default (50.0) is too old for sObject Collections upsert. */
  apiVersion: z.string().regex(/^\d{2}\.0$/).default('62.0'),
  /** Opportunities per change page (Salesforce returns at most 2,000 per query batch). */
  pageSize: z.number().int().min(1).max(2000).default(2000),
  /**
   * Each run re-reads opportunities changed this many seconds before the last watermark, so that
   * changes in the same second as the watermark, or committed late, are never missed.
   */
  rereadSeconds: z.number().int().min(0).max(3600).default(300),
  /** Share of the org's daily API limit the connector may use before it pauses, 0..1. */
  budgetShare: z.number().gt(0).max(1).default(0.8),
  /**
   * How long one Salesforce call may take, jsforce's own retries included, before it fails (retryable: the
   * run fails and the next one tries again). jsforce's default is 30 minutes.
   */
  timeoutMs: z.number().int().min(1).default(120_000),
  /**
   * An HTTP proxy for Salesforce calls (jsforce ignores NO_PROXY, so env proxies are not used). A proxy that
   * asks for a user and password is a secret: its URL is then given by reference.
   */
  httpProxy: z.string().superRefine(proxyUrlOrReference).optional(),
  /** Extra conditions a deal must meet, besides the "Sync with Partner Center" box, before it is shared. */
  optInRules: z
    .object({
      minProbability: z.number().min(0).max(100).optional(),
      requireSolution: z.boolean().default(false),
    })
    .strict()
    .default({ requireSolution: false }),
  /** Canonical path → Salesforce field (null switches a row off), e.g. {"customer.duns": "Account.DUNS__c"}. */
  fieldOverrides: z.record(z.string(), z.string().nullable()).superRefine(onlyKnownKeys(DEFAULT_FIELD_TABLE.map((row) => row.canonical), 'field path')).default({}),
  /** Salesforce stage name → standard sales stage (or "Lost"), over the default table. */
  stageOverrides: z.record(z.string(), stageValue).default({}),
  /** Map stages that no table names by their default probability (otherwise they are reported unmapped). */
  stageDefaultByProbability: z.boolean().default(true),
  /** Where Partner Center shows a referral; `{referralId}` is replaced. */
  referralLinkTemplate: z.string().default('https://partner.microsoft.com/dashboard/v2/referrals/{referralId}'),
  // Strict, as the rest of the file: a misspelt key (`loginUrll`) would otherwise leave its default in force unseen.
}).strict().superRefine(proxyOnlyOverTls);

/**
 * A proxy is a host the endpoint policy does not judge, and it may be anywhere: it is safe only because it
 * relays TLS it cannot read (CONNECT). Toward an http endpoint (a loopback one, which the policy allows) it
 * would read the client secret, JWT assertion and session in clear, and its own "127.0.0.1" is its own
 * machine. So a proxy needs every Salesforce endpoint to be https.
 */
function proxyOnlyOverTls(options: { httpProxy?: string | undefined; loginUrl: string; instanceUrl?: string | undefined }, ctx: z.RefinementCtx): void {
  if (!options.httpProxy) return;
  // Named by origin: a user name and password in the URL (refused by the endpoint policy later) stay out of the message.
  const clear = [options.loginUrl, options.instanceUrl].filter((u): u is string => u !== undefined && !/^https:/i.test(u)).map((u) => (URL.canParse(u) ? new URL(u).origin : u));
  if (clear.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['httpProxy'], message: `is refused with ${clear.join(' and ')}: a proxy would read the credential sent over http; remove httpProxy or use https endpoints` });
  }
}

export type SalesforceOptions = z.infer<typeof salesforceOptionsSchema>;
export type SalesforceOptionsInput = z.input<typeof salesforceOptionsSchema>;

/** Every URL the Salesforce adapter sends a credential to, named by its config path (endpoint policy). */
export function salesforceEndpoints(options: SalesforceOptions, prefix = 'crm > salesforce'): EndpointRef[] {
  // A JWT assertion is good at its audience for minutes: one a real org accepts must not travel over http.
  const audience = options.auth.kind === 'jwt' && options.auth.audience ? { key: `${prefix} > auth > audience`, url: options.auth.audience } : undefined;
  const login = { key: `${prefix} > loginUrl`, url: options.loginUrl, ...(audience ? { tokenFrom: audience } : {}) };
  return [
    login,
    // The session the login URL issues is sent to the instance.
    ...(options.instanceUrl ? [{ key: `${prefix} > instanceUrl`, url: options.instanceUrl, tokenFrom: login }] : []),
    // Every call goes through the proxy. One named by reference is the operator's (they set the secret); one
    // written in the config is the editor's, a host nobody with the secrets chose: judged as any endpoint.
    ...(options.httpProxy && !SECRET_REFERENCE.test(options.httpProxy) ? [{ key: `${prefix} > httpProxy`, url: options.httpProxy, proxy: true }] : []),
  ];
}
