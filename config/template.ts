/**
 * The commented config file `cosell init` writes: every setting with what it does, defaults filled in,
 * secrets as references only. Each CRM's own section lives beside its connector (config-template.ts).
 */
import { CRM_CONFIG_SECTIONS } from '../connectors/config-templates.js';
import type { CrmKind } from '../connectors/kinds.js';

export function configTemplate(crm: CrmKind): string {
  const crmSection = CRM_CONFIG_SECTIONS[crm];
  return `# cosell-connector configuration. Check it with: cosell check
${crmSection}

partnerCenter:
  # The public client app registration used for "cosell login partner-center" (device code).
  clientId: "<application (client) id>"
  authority: https://login.microsoftonline.com/organizations
  # The signed-in session is kept here, encrypted with the key in $COSELL_TOKEN_KEY.
  tokenCachePath: .state/partner-center-token.cache
  tokenKeyEnv: COSELL_TOKEN_KEY

sync:
  # When the same field changed on both sides (after terminal states and field ownership):
  # newest-wins, crm-wins, partner-center-wins, or manual (an admin decides: cosell conflicts).
  conflictPolicy: newest-wins
  # Hold a Won on a registrable deal until this many hours after creation (Partner Center asks 72).
  holdWonHours: 72
  # cosell run: minutes between runs.
  intervalMinutes: 5
  # A stop (SIGTERM, Ctrl-C) waits this long for the current page, then leaves it for the next run.
  stopGraceSeconds: 8
  # Your MPN location for new outbound deals whose CRM record names none (it cannot change later).
  # defaultLocation: "<location id>"
  # A default location per CRM record owner (CRM user ID or email), before defaultLocation.
  # locationByOwner:
  #   "seller@example.com": "<location id>"
  # Dynamics 365: a default location per business unit of the record owner (ID or name), after locationByOwner.
  # locationByBusinessUnit:
  #   "Contoso Germany": "<location id>"
  # Referrals Partner Center classifies as leads (marketplace and marketing-qualified) become CRM Leads;
  # converting the lead moves the referral to the new opportunity.
  # leadsAsCrmLeads: false

# Every URL above must be https on a Microsoft or Salesforce host (loopback excepted). Another host you
# trust (a proxy, a sovereign cloud) is allowed by whoever holds the secrets, not by this file: set
# COSELL_ALLOW_ENDPOINTS=host[:port],... in the service's environment; each one is logged at warn on every
# start. (The old key allowCustomEndpoints: true allows nothing any more.)

store:
  # The embedded state store (SQLite).
  path: .state/cosell.sqlite

logging:
  # warn: only what needs attention (the default). --verbose on a command shows info, --debug shows debug.
  level: warn
  # Append JSON log lines to a file instead of standard error (for cosell run under a service manager).
  # file: .state/cosell.log

# "cosell serve" (README, Running as a service). Behind a reverse proxy, list its address here so that
# X-Forwarded-For names the client; from any other peer the header is ignored (true would trust everyone:
# any client could forge its address, and cosell check warns).
# serve:
#   publicUrl: https://cosell.example.com
#   trustProxy: [127.0.0.1]

# The status dashboard of "cosell serve": admins sign in with Entra ID to act (docs/dashboard.md).
# dashboard:
#   signIn:
#     authority: https://login.microsoftonline.com/<tenant id>
#     clientId: "<web app (client) id>"
#     clientSecret: env:COSELL_DASHBOARD_SECRET
#     redirectUri: http://localhost:8080/auth/callback
#     adminUsers: ["admin@example.com"]

# Notifications through Microsoft Graph after each run (docs/dashboard.md).
# notifications:
#   graph:
#     authority: https://login.microsoftonline.com/<tenant id>
#     clientId: "<app id with Mail.Send>"
#     clientSecret: env:COSELL_GRAPH_SECRET
#   from: cosell@example.com
#   sellerDomains: [example.com]     # who counts as our seller on a deal's team (default: the domain of from)
#   mailbox: co-sell@example.com     # also gets every seller notice, and those of deals with none of ours
#   admins: ["admin@example.com"]
#   quietHours: { from: "20:00", to: "07:00" }
#   timeZone: UTC
`;
}
