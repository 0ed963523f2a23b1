/**
 * The Dynamics 365 adapter's options. The client secret is a reference (`env:NAME` or `file:/path`),
 * never the secret itself, so a config file can be committed and shown in logs.
 */
import { z } from 'zod';
import { SALES_STAGES, type SalesStage } from '../../core/model/sales-stage.js';
import { ConfigError } from '../../core/errors.js';
import { authorityMetadataEndpoints, entraTokenIssuer, type EndpointRef } from '../../config/endpoint-policy.js';
import { onlyKnownKeys } from '../../config/known-keys.js';
import { DYNAMICS_FIELD_TABLE } from '../../mappings/fields.dynamics.js';

const secretRef = z.string().regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, 'must be a secret reference: env:NAME or file:/path');

export const dynamicsOptionsSchema = z.object({
  /** The environment (organisation) URL, e.g. https://contoso.crm.dynamics.com: the token audience. */
  environmentUrl: z.url().transform((u) => u.replace(/\/$/, '')),
  /** Where the Web API is reached, when not at the environment URL (a proxy or the local sandbox). */
  apiUrl: z.url().transform((u) => u.replace(/\/$/, '')).optional(),
  tenantId: z.string().min(1),
  /** Defaults to https://login.microsoftonline.com/<tenantId>. */
  authority: z.url().optional(),
  /** msal `authorityMetadata` JSON, to reach a token endpoint other than Entra ID's (the sandbox). */
  authorityMetadata: z.string().optional(),
  clientId: z.string().min(1),
  clientSecret: secretRef,
  publisherPrefix: z.string().regex(/^[a-z][a-z0-9]{1,7}_$/, 'must be 2–8 lower-case letters or digits and an underscore, like cosell_').default('cosell_'),
  /**
   * Rows per change-tracking page (`Prefer: odata.maxpagesize`, at most 5,000, the default: Dataverse's own
   * page limit, so the feed costs the fewest calls; the engine gathers writes across pages into full
   * `$batch` requests anyway).
   */
  pageSize: z.number().int().min(1).max(5000).default(5000),
  /** Link to a referral in Partner Center; `{id}` is replaced. */
  referralLinkTemplate: z.string().default('https://partner.microsoft.com/dashboard/v2/referrals/{id}'),
  fieldOverrides: z
    .record(z.string(), z.object({ column: z.string().optional(), direction: z.enum(['both', 'toCrm', 'fromCrm']).optional() }).strict())
    .superRefine(onlyKnownKeys(DYNAMICS_FIELD_TABLE.map((row) => row.path), 'field path'))
    .default({}),
  stageOverrides: z.array(z.object({
    crmStage: z.string().min(1),
    salesStage: z.enum(SALES_STAGES as [SalesStage, ...SalesStage[]]),
    salesStageValue: z.number().int().optional(),
    probability: z.number().int().min(0).max(100).optional(),
  }).strict()).default([]),
  /** Our own ceilings, kept under Dataverse's service protection limits (6,000 / 5 min, 52 concurrent). */
  maxConcurrency: z.number().int().min(1).max(52).default(8),
  maxRequestsPerWindow: z.number().int().min(1).max(6000).default(5000),
  /** Retries of one call after a 429, 503, 5xx or dropped connection. */
  retries: z.number().int().min(0).max(10).default(6),
  // Strict: a misspelt key would otherwise leave its default in force with no word to the admin.
}).strict();

export type DynamicsOptionsInput = z.input<typeof dynamicsOptionsSchema>;
export type DynamicsOptions = z.output<typeof dynamicsOptionsSchema>;

/** Validates options; the error names the path (`crm > dynamics > pageSize`) and the rule. */
export function parseDynamicsOptions(input: unknown, path = 'crm > dynamics'): DynamicsOptions {
  const parsed = dynamicsOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError([path, ...issue.path.map(String)].join(' > '), issue.message);
}

/** Where the adapter's tokens are issued, and so where its client secret is sent (msal's token endpoint). */
export function dynamicsTokenIssuer(options: DynamicsOptions, prefix = 'crm > dynamics'): EndpointRef {
  return entraTokenIssuer(prefix, dynamicsAuthority(options), options.authorityMetadata);
}

function dynamicsAuthority(options: DynamicsOptions): string {
  return options.authority ?? `https://login.microsoftonline.com/${options.tenantId}`;
}

/** Every URL the Dynamics adapter sends a credential to, named by its config path (endpoint policy). */
export function dynamicsEndpoints(options: DynamicsOptions, prefix = 'crm > dynamics'): EndpointRef[] {
  const authority = dynamicsAuthority(options);
  const tokenFrom = dynamicsTokenIssuer(options, prefix);
  return [
    { key: `${prefix} > environmentUrl`, url: options.environmentUrl, tokenFrom },
    ...(options.apiUrl ? [{ key: `${prefix} > apiUrl`, url: options.apiUrl, tokenFrom }] : []),
    { key: `${prefix} > authority`, url: authority },
    ...authorityMetadataEndpoints(`${prefix} > authorityMetadata`, options.authorityMetadata),
  ];
}
