/**
 * The Dynamics 365 adapter's options for this sandbox behind the Entra sandbox: the one place that knows
 * how the adapter reaches them (Web API at the sandbox, token audience the environment URL, the token
 * endpoint redirected through msal's authorityMetadata).
 */
import { SANDBOX_APPS } from '../entra/seed.js';

export function dynamicsOptionsFor(
  dataverse: { url: string; environmentUrl: string },
  entra: { tenantId: string; authority: string; authorityMetadata: string },
  clientSecret: string,
) {
  return {
    environmentUrl: dataverse.environmentUrl,
    apiUrl: dataverse.url,
    tenantId: entra.tenantId,
    authority: entra.authority,
    authorityMetadata: entra.authorityMetadata,
    clientId: SANDBOX_APPS.dataverse.clientId,
    clientSecret,
  };
}
