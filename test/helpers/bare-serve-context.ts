/** A `ServeContext` with only what `buildServer` and the webhook route read: no world, no sync service. */
import type { ServeSettings } from '../../config/serve.js';
import type { Logger } from '../../core/logger.js';
import { CertificateStore } from '../../core/serve/certificates.js';
import type { ServeContext } from '../../core/serve/context.js';

export function bareServeContext(settings: ServeSettings, logger: Logger): ServeContext {
  return {
    runtime: { logger, config: {} },
    service: { metrics: { webhook: () => undefined } },
    certificates: new CertificateStore(settings.webhooks),
    replay: { has: () => false },
    settings,
    now: () => new Date(),
  } as unknown as ServeContext;
}
