/** Notifications through the Graph sandbox of a world, as `cosell.config` would set them up (test/notify, test/e2e). */
import { notificationsSchema, type NotificationsConfigInput } from '../../core/notify/config.js';
import { SANDBOX_APPS, SANDBOX_USERS } from '../../sandbox/entra/seed.js';
import { SANDBOX_NOTIFY_MAILBOX, SANDBOX_SELLER_DOMAINS } from '../../sandbox/graph/index.js';
import type { World } from '../../sandbox/world.js';

const SECRET_ENV = 'COSELL_TEST_GRAPH_SECRET';

export function notificationsFor(world: World, extra: Partial<NotificationsConfigInput> = {}) {
  process.env[SECRET_ENV] = SANDBOX_APPS.dashboard.clientSecret;
  return notificationsSchema.parse({
    graph: {
      authority: world.set.entra.authority,
      authorityMetadata: world.set.entra.authorityMetadata,
      clientId: SANDBOX_APPS.dashboard.clientId,
      clientSecret: `env:${SECRET_ENV}`,
      baseUrl: world.set.graph.url,
    },
    from: SANDBOX_NOTIFY_MAILBOX,
    sellerDomains: SANDBOX_SELLER_DOMAINS,
    admins: [SANDBOX_USERS.admin.username],
    crmRecordUrl: 'https://crm.example/opportunity/{crmId}',
    ...extra,
  });
}
