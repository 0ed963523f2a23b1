/** The `crm` section `cosell init --crm salesforce` writes: every setting with what it does. */
export const SALESFORCE_CONFIG_SECTION = `crm:
  kind: salesforce
  salesforce:
    # Token endpoint: https://login.salesforce.com, https://test.salesforce.com or your My Domain.
    loginUrl: https://login.salesforce.com
    # Consumer key of the connected app the integration user signs in through.
    clientId: "<connected app consumer key>"
    auth:
      # jwt (recommended for a server) or client_credentials.
      kind: jwt
      username: integration.user@example.com
      # A reference, never the key itself: env:NAME or file:/path/to/key.pem
      privateKey: env:SF_PRIVATE_KEY
    # Pause the sync when this share of the org's daily API limit is used.
    budgetShare: 0.8
    # Extra conditions before a deal is shared, besides the "Sync with Partner Center" box.
    optInRules:
      requireSolution: false
      # minProbability: 20
    # Your stage names mapped to the standard sales stages (Created, Qualified, Developed, Proposed,
    # Negotiated, Won) or Lost. Stages not listed map by their default probability.
    stageOverrides: {}
    # Canonical field → Salesforce field (null switches it off), over the defaults in
    # mappings/fields.salesforce.ts; a path that table does not name is refused.
    fieldOverrides: {}`;
