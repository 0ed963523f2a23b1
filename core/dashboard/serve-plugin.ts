/**
 * The dashboard mounted at `/` of `cosell serve`: the plugin over the service's runtime, with the
 * service's own `/readyz` data as the health panel.
 */
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../serve/context.js';
import { readiness } from '../serve/readiness.js';
import { dashboardPlugin } from './plugin.js';
import { dashboardContextOf } from './runtime-context.js';

export async function dashboardForServe(app: FastifyInstance, options: { context: ServeContext }): Promise<void> {
  const { context } = options;
  // An action's effect goes out with a poll at once: the service runs it after any sync in progress. The
  // runtime is the one in use (an edited config replaces it: the clock, the CRM's name and record URL);
  // the dashboard's own settings need a restart.
  await app.register(dashboardPlugin, { context: dashboardContextOf(() => context.runtime, () => readiness(context), () => context.service.requestPoll()) });
}
