/**
 * The configured endpoints of a whole config file, judged by the outbound-endpoint policy
 * (endpoint-policy.ts). The CRM's endpoints come from its registry entry, so no CRM is named here.
 */
import { connectorFor } from '../connectors/registry.js';
import { partnerCenterEndpoints, partnerCenterTokenIssuer } from '../connectors/partner-center/config.js';
import { peopleEndpoints } from './people-endpoints.js';
import { operatorConsent, type EndpointConsent } from './endpoint-consent.js';
import { enforceEndpointPolicy, judgeEndpoints, type EndpointJudgement, type EndpointRef, type EndpointVerdict } from './endpoint-policy.js';
import type { CosellConfig } from './schema.js';
import { vouchForHosts } from '../core/http/address-guard.js';

export function configEndpoints(config: CosellConfig): EndpointRef[] {
  const kind = config.crm.kind;
  const crm = connectorFor(kind)?.endpoints((config.crm as Record<string, unknown>)[kind]) ?? [];
  // `cosell webhooks register` sends the Partner Center token to the registration API.
  const registration = { key: 'serve > webhooks > registrationUrl', url: config.serve.webhooks.registrationUrl, tokenFrom: partnerCenterTokenIssuer(config.partnerCenter) };
  return [...partnerCenterEndpoints(config.partnerCenter), registration, ...crm, ...peopleEndpoints(config)];
}

function judgementOf(config: CosellConfig, consent: EndpointConsent): EndpointJudgement {
  return { consent, allowCustomEndpoints: config.allowCustomEndpoints === true };
}

/**
 * Every endpoint's verdict, for `cosell check`. `consent` is the operator's: by default this process's
 * COSELL_ALLOW_ENDPOINTS; a tenant's runtime passes the tenant's own (endpoint-consent.ts tenantConsent).
 */
export function judgeConfigEndpoints(config: CosellConfig, consent: EndpointConsent = operatorConsent()): EndpointVerdict[] {
  return judgeEndpoints(configEndpoints(config), judgementOf(config, consent));
}

/**
 * Throws a ConfigError naming the first refused key (exit 2); returns the verdicts otherwise. The hosts the
 * operator's consent names are then vouched for at connect time too: those names may resolve to this machine
 * or a private network (core/http/address-guard.ts), where any other name is refused. A well-known host may be
 * among them: Salesforce Private Connect, for one, resolves an org's `*.my.salesforce.com` to an address of the
 * customer's own network (UNVERIFIED beyond Salesforce's description of it).
 */
export function enforceConfigEndpoints(config: CosellConfig, consent: EndpointConsent = operatorConsent()): EndpointVerdict[] {
  const verdicts = enforceEndpointPolicy(configEndpoints(config), judgementOf(config, consent));
  vouchForHosts(consent.hosts);
  return verdicts;
}
