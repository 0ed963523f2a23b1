/** The `crm` section `cosell init --crm dynamics` writes: every setting with what it does. */
export const DYNAMICS_CONFIG_SECTION = `crm:
  kind: dynamics
  dynamics:
    # Your environment URL: also the token audience.
    environmentUrl: https://contoso.crm.dynamics.com
    tenantId: "<directory (tenant) id>"
    # The application user's app registration.
    clientId: "<application (client) id>"
    # A reference, never the secret itself: env:NAME or file:/path
    clientSecret: env:DATAVERSE_CLIENT_SECRET
    # Prefix of the columns "cosell setup dynamics" creates.
    publisherPrefix: cosell_
    stageOverrides: []
    # Canonical field → {column, direction}, over the defaults in mappings/fields.dynamics.ts; a path that
    # table does not name is refused.
    fieldOverrides: {}`;
