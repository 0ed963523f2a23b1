/**
 * The service's HTTP server (fastify): the webhook receiver, `/healthz`, `/readyz` and `/metrics`, plus
 * any route plugins the caller adds (the dashboard mounts at `/`, which this server leaves free).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ServeContext } from './context.js';
import { guardHostHeader } from './host-guard.js';
import { serviceFastify } from './http-server.js';
import { health, readiness } from './readiness.js';
import { webhookRoutes } from './webhook-route.js';

export interface BuildServerOptions {
  /** Extra route plugins, registered after the service's own routes, each given the context. */
  plugins?: FastifyPluginAsync<{ context: ServeContext }>[];
}

export async function buildServer(context: ServeContext, options: BuildServerOptions = {}): Promise<FastifyInstance> {
  // No fastify logger, forwarded headers only from `serve > trustProxy`, a request bounded in time (http-server.ts).
  const app = serviceFastify(context.settings.trustProxy);
  guardHostHeader(app, context.settings.host, [context.settings.publicUrl, context.runtime.config.dashboard?.signIn?.redirectUri]);
  await app.register(async (scope) => webhookRoutes(scope, context));

  app.get('/healthz', async (_request, reply) => {
    const { healthy, store } = health(context);
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unhealthy', store: store.detail, uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (_request, reply) => {
    const result = await readiness(context);
    return reply.code(result.ready ? 200 : 503).send(result);
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await context.service.metrics.text();
    return reply.header('content-type', contentType).send(body);
  });

  for (const plugin of options.plugins ?? []) await app.register(plugin, { context });
  return app;
}
