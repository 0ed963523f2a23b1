/**
 * Which tenants the sandbox's identity platform answers for. A request to a tenant the cloud does not know
 * is refused with "AADSTS90002: Tenant '…' not found" (as MSAL users quote it, e.g.
 * AzureAD/microsoft-authentication-library-for-dotnet#1270), so a misconfigured tenant ID fails here as it
 * would against Microsoft, rather than signing in to the sandbox's tenant. Known: the tenant ID, a domain
 * of one of its users, and the multi-tenant aliases.
 * UNVERIFIED: the rest of that message, and whether the client credentials grant is refused at `common`.
 */
import type { Directory } from './directory.js';

const ALIASES = new Set(['common', 'organizations', 'consumers']);

export function isKnownTenant(directory: Directory, tenant: string): boolean {
  const name = tenant.toLowerCase();
  if (name === directory.tenantId.toLowerCase() || ALIASES.has(name)) return true;
  return directory.listUsers().some((user) => user.username.toLowerCase().endsWith(`@${name}`));
}

export const TENANT_NOT_FOUND = (tenant: string): string =>
  `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`;
