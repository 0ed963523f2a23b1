/**
 * The default sandbox tenant: the connector's app registrations and the people who act in the demo.
 * Organisation ids follow Partner Center's convention: a partner's own tenant GUID, `msft` for Microsoft.
 */
import type { DirectorySeed, SandboxApp } from './directory.js';

export const OUR_PARTNER_ORG = 'c0ffee00-0000-4000-8000-00000000c05e';
export const OTHER_PARTNER_ORG = 'fab71ca0-0000-4000-8000-0000000fab71';
export const MICROSOFT_ORG = 'msft';

/** The security group whose members administer the connector's dashboard (the sandbox admin is in it). */
export const DASHBOARD_ADMINS_GROUP = 'ad300000-0000-4000-8000-0000000ad300';

/**
 * Every secret and password here begins with `sandbox-` (any case): the connector sends a secret over plain
 * http (a sandbox's loopback token endpoint) only if it does (config/secret-transport.ts).
 */
export const SANDBOX_APPS = {
  /** The CLI's public client: device-code sign-in to Partner Center (App+User). */
  cli: { clientId: '0c05e11c-0000-4000-8000-00000000c11e', displayName: 'cosell-connector CLI' },
  /** A confidential client for the Dataverse application user (client credentials). */
  dataverse: { clientId: 'd7a7e45e-0000-4000-8000-00000000d7a7', clientSecret: 'sandbox-dataverse-secret', displayName: 'cosell-connector Dataverse' },
  /** A confidential client for scripted App+User tokens (password grant) in tests and curl examples. */
  scripted: { clientId: '5c219700-0000-4000-8000-000000005c21', clientSecret: 'sandbox-scripted-secret', displayName: 'cosell-connector scripted' },
  /** The dashboard: a web app signing people in (auth code + PKCE) and sending notifications through Graph (client credentials). */
  dashboard: {
    clientId: 'da5b0a7d-0000-4000-8000-00000000da5b',
    clientSecret: 'sandbox-dashboard-secret',
    displayName: 'cosell-connector dashboard',
    redirectUris: ['http://localhost/auth/callback', 'http://127.0.0.1/auth/callback'],
  },
} as const;

export const SANDBOX_USERS = {
  admin: { username: 'admin@contoso-partner.example', password: 'Sandbox-Admin-1', displayName: 'Avery Admin', organizationId: OUR_PARTNER_ORG, roles: ['ReferralsAdmin'], locations: [], groups: [DASHBOARD_ADMINS_GROUP] },
  seller: { username: 'sam@contoso-partner.example', password: 'Sandbox-User-1', displayName: 'Sam Seller', organizationId: OUR_PARTNER_ORG, roles: ['ReferralsUser'], locations: ['loc-us-redmond'] },
  microsoft: { username: 'morgan@microsoft.example', password: 'Sandbox-Msft-1', displayName: 'Morgan (Microsoft seller)', organizationId: MICROSOFT_ORG, roles: ['ReferralsAdmin'], locations: [] },
  otherPartner: { username: 'pat@fabrikam-partner.example', password: 'Sandbox-Fab-1', displayName: 'Pat (Fabrikam)', organizationId: OTHER_PARTNER_ORG, roles: ['ReferralsAdmin'], locations: [] },
} as const;

export function defaultDirectorySeed(): DirectorySeed {
  return {
    apps: Object.values(SANDBOX_APPS).map((app): SandboxApp => {
      const { redirectUris, ...rest } = app as typeof app & { redirectUris?: readonly string[] };
      return { ...rest, ...(redirectUris ? { redirectUris: [...redirectUris] } : {}) };
    }),
    users: Object.values(SANDBOX_USERS).map((user) => {
      const { groups, ...rest } = user as typeof user & { groups?: readonly string[] };
      return { ...rest, roles: [...user.roles], locations: [...user.locations], ...(groups ? { groups: [...groups] } : {}) };
    }),
  };
}
