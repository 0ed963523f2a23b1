/**
 * What `cosell check` asks, as items: the CRM adapter's own check (fields, permissions, stages, budget),
 * the endpoint policy's verdict on every configured URL, the Partner Center sign-in with a real call, the
 * signed-in user's role and scope. One list for a single install's `cosell check` and for `cosell tenants
 * check --connect`, so that a tenant is called ready by the questions a single install is. The webhook
 * registration is the single install's alone (`cosell webhooks`, with its token cache file): a multi-tenant
 * install registers no webhooks per tenant, so `cosell check` adds that item itself.
 */
import type { EndpointConsent } from '../../config/endpoint-consent.js';
import type { CosellConfig } from '../../config/schema.js';
import type { PartnerCenterClient } from '../../connectors/partner-center/index.js';
import type { CheckItem, CrmAdapter } from '../engine/crm-port.js';
import { failureText } from '../errors.js';
import { accessCheck } from './access-check.js';

export interface ReadinessParts {
  config: CosellConfig;
  crm: Pick<CrmAdapter, 'check'>;
  partnerCenterClient: Pick<PartnerCenterClient, 'refreshSignIn' | 'list' | 'access'>;
  /** Whose consent a custom endpoint has: a tenant's runtime gives the tenant's; by default this process's environment. */
  endpointConsent?: EndpointConsent;
}

/** The endpoint policy's verdict on each configured URL (a refused one never gets this far: exit 2). */
async function endpointCheckItems(config: CosellConfig, consent: EndpointConsent | undefined): Promise<CheckItem[]> {
  // Loaded when a check runs, not at start: `cosell --help` and the other commands start without it.
  const { judgeConfigEndpoints } = await import('../../config/endpoints.js');
  const items = judgeConfigEndpoints(config, consent).map((v) => ({ name: `endpoint ${v.key}`, ok: v.verdict !== 'refused', detail: `${v.url}: ${v.reason}` }));
  // Said where an admin looks after upgrading: the key is still accepted, and allows nothing.
  if (config.allowCustomEndpoints) items.push({ name: 'allowCustomEndpoints', ok: true, detail: 'true in the config, and ignored: a host other than Microsoft\'s and Salesforce\'s is allowed by the operator (COSELL_ALLOW_ENDPOINTS, or a tenant\'s allowed endpoints), never by the config' });
  return items;
}

export async function readinessItems(parts: ReadinessParts): Promise<CheckItem[]> {
  const report = await parts.crm.check();
  const items = [...report.items, ...(await endpointCheckItems(parts.config, parts.endpointConsent))];
  try {
    await parts.partnerCenterClient.refreshSignIn();
    await parts.partnerCenterClient.list({ top: 1 }).next();
    items.push({ name: 'Partner Center sign-in', ok: true, detail: 'a token was refreshed silently and the referrals API answered' });
    items.push(await accessCheck(() => parts.partnerCenterClient.access()));
  } catch (error) {
    // Told through failureText: a library's error may quote a token (this item is printed and stored by tenants check).
    items.push({ name: 'Partner Center sign-in', ok: false, detail: failureText(error) });
  }
  return items;
}
