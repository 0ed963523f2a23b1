/**
 * Every CRM cosell-connector can drive, in one place: its name in the config file, its options schema and
 * its adapter factory. The config schema, `cosell setup <crm>` and the engine's wiring read this map;
 * nothing else in shared code knows which CRMs exist (no provider switches).
 */
import type { SharedCallBudget } from '../core/http/shared-budget.js';
import type { ZodType } from 'zod';
import type { EndpointRef } from '../config/endpoint-policy.js';
import type { Logger } from '../core/logger.js';
import { dynamicsEndpoints, dynamicsOptionsSchema, type DynamicsOptions } from './dynamics/config.js';
import { salesforceEndpoints, salesforceOptionsSchema, type SalesforceOptions } from './salesforce/config.js';
import type { CrmAdapter, RelatedRowIndex } from '../core/engine/crm-port.js';
import { F, OPPORTUNITY_FIELDS } from '../mappings/custom-fields.salesforce.js';
import { DYNAMICS_FIELD_TABLE } from '../mappings/fields.dynamics.js';
import { DEFAULT_RESPONSE_FIELD } from '../mappings/notifications.js';

export interface ConnectorDeps {
  logger: Logger;
  /** Turns `env:NAME` / `file:/path` references into values; never logs them. */
  resolveSecret: (ref: string) => Promise<string>;
  /** The state store's related-row index, for a CRM whose deletion feed names only the deleted row. */
  relatedRows?: RelatedRowIndex;
  /** The CRM organisation's call budget shared with other workers (multi-tenant installs). */
  sharedBudget?: SharedCallBudget;
  /** The runtime's clock. */
  now?: () => Date;
}

export interface CrmConnector {
  /** The key under `crm` in the config file and the argument of `cosell setup`. */
  kind: string;
  displayName: string;
  /**
   * The label a seller's form shows on the field where a referral is accepted or declined (from the field
   * table setup installs), so that notices and the dashboard name the field the seller sees.
   */
  responseFieldLabel: string;
  optionsSchema: ZodType;
  /** Every URL the adapter sends a credential to, from its validated options, for the endpoint policy. */
  endpoints(options: unknown): EndpointRef[];
  /** The service's documented API limit per organisation, which the workers of a multi-tenant install share. */
  apiBudget: { calls: number; windowMs: number; source: string };
  /** Loaded lazily so that a Salesforce install never imports the Dataverse client, and vice versa. */
  create(options: unknown, deps: ConnectorDeps): Promise<CrmAdapter>;
}

export const CRM_CONNECTORS: readonly CrmConnector[] = [
  {
    kind: 'salesforce',
    displayName: 'Salesforce',
    responseFieldLabel: OPPORTUNITY_FIELDS.find((f) => f.name === F.response)?.metadata.label ?? DEFAULT_RESPONSE_FIELD,
    optionsSchema: salesforceOptionsSchema,
    endpoints: (options) => salesforceEndpoints(options as SalesforceOptions),
    // API requests per 24 hours per org; 100,000 is the Enterprise Edition base before per-licence additions.
    apiBudget: { calls: 100_000, windowMs: 24 * 3_600_000, source: 'https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm' },
    async create(options, deps) {
      const { createSalesforceAdapter } = await import('./salesforce/index.js');
      return createSalesforceAdapter(options as Parameters<typeof createSalesforceAdapter>[0], deps);
    },
  },
  {
    kind: 'dynamics',
    displayName: 'Dynamics 365',
    responseFieldLabel: DYNAMICS_FIELD_TABLE.find((r) => r.path === 'intent.response')?.label ?? DEFAULT_RESPONSE_FIELD,
    optionsSchema: dynamicsOptionsSchema,
    endpoints: (options) => dynamicsEndpoints(options as DynamicsOptions),
    // Service protection: 6,000 requests per user per 5-minute sliding window.
    apiBudget: { calls: 6_000, windowMs: 5 * 60_000, source: 'https://learn.microsoft.com/power-apps/developer/data-platform/api-limits' },
    async create(options, deps) {
      const { createDynamicsAdapter } = await import('./dynamics/index.js');
      return createDynamicsAdapter(options as Parameters<typeof createDynamicsAdapter>[0], deps);
    },
  },
];

export function connectorFor(kind: string): CrmConnector | undefined {
  return CRM_CONNECTORS.find((c) => c.kind === kind);
}

/** The response field's label of the CRM with this display name (what the dashboard and notices know it by). */
export function responseFieldLabelOf(crmName: string | undefined): string {
  return CRM_CONNECTORS.find((c) => c.displayName === crmName)?.responseFieldLabel ?? DEFAULT_RESPONSE_FIELD;
}
