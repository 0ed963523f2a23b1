/** The dashboard plugin on its own fastify instance, without sign-in, over a store (for `app.inject`, no listening). */
import Fastify, { type FastifyInstance } from 'fastify';
import { resolveSecret } from '../../config/secrets.js';
import { dashboardSchema } from '../../core/dashboard/config.js';
import type { DashboardContext } from '../../core/dashboard/context.js';
import { dashboardPlugin } from '../../core/dashboard/plugin.js';
import { silentLogger } from '../../core/logger.js';
import type { StateStore } from '../../core/store/index.js';

/** `trustProxy`: fastify's (serve > trustProxy), left at fastify's default when not given. */
export async function dashboardOn(store: StateStore, options: { config?: Record<string, unknown>; now?: () => Date; trustProxy?: boolean | string[] } = {}): Promise<FastifyInstance> {
  const context: DashboardContext = { store, now: options.now ?? (() => new Date()), config: dashboardSchema.parse(options.config ?? {}), resolveSecret, logger: silentLogger(), crmName: 'Salesforce' };
  const app = Fastify({ logger: false, ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}) });
  await app.register(dashboardPlugin, { context });
  return app;
}
