/**
 * The default sandbox tenant: the connector's app registrations and the people who act in the demo.
 * Organisation ids follow Partner Center's convention: a partner's own tenant GUID, `msft` for Microsoft.
 */
import type { DirectorySeed } from './directory.js';

export const OUR_PARTNER_ORG = 'c0ffee00-0000-4000-8000-00000000c05e';
export const OTHER_PARTNER_ORG = 'fab71ca0-0000-4000-8000-0000000fab71';
export const MICROSOFT_ORG = 'msft';

export const SANDBOX_APPS = {
  /** The CLI's public client: device-code sign-in to Partner Center (App+User). */
  cli: { clientId: '0c05e11c-0000-4000-8000-00000000c11e', displayName: 'cosell-connector CLI' },
  /** A confidential client for the Dataverse application user (client credentials). */
  dataverse: { clientId: 'd7a7e45e-0000-4000-8000-00000000d7a7', clientSecret: 'sandbox-dataverse-secret', displayName: 'cosell-connector Dataverse' },
  /** A confidential client for scripted App+User tokens (password grant) in tests and curl examples. */
  scripted: { clientId: '5c219700-0000-4000-8000-000000005c21', clientSecret: 'sandbox-scripted-secret', displayName: 'cosell-connector scripted' },
} as const;

export const SANDBOX_USERS = {
  admin: { username: 'admin@contoso-partner.example', password: 'Sandbox-Admin-1', displayName: 'Avery Admin', organizationId: OUR_PARTNER_ORG, roles: ['ReferralsAdmin'], locations: [] },
  seller: { username: 'sam@contoso-partner.example', password: 'Sandbox-User-1', displayName: 'Sam Seller', organizationId: OUR_PARTNER_ORG, roles: ['ReferralsUser'], locations: ['loc-us-redmond'] },
  microsoft: { username: 'morgan@microsoft.example', password: 'Sandbox-Msft-1', displayName: 'Morgan (Microsoft seller)', organizationId: MICROSOFT_ORG, roles: ['ReferralsAdmin'], locations: [] },
  otherPartner: { username: 'pat@fabrikam-partner.example', password: 'Sandbox-Fab-1', displayName: 'Pat (Fabrikam)', organizationId: OTHER_PARTNER_ORG, roles: ['ReferralsAdmin'], locations: [] },
} as const;

export function defaultDirectorySeed(): DirectorySeed {
  return {
    apps: Object.values(SANDBOX_APPS).map((app) => ({ ...app })),
    users: Object.values(SANDBOX_USERS).map((user) => ({ ...user, roles: [...user.roles], locations: [...user.locations] })),
  };
}
