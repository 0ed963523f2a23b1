/**
 * `cosell serve --database REF`: what a multi-tenant install shows people, from the PostgreSQL database
 * every worker writes to. The dashboard with its tenant picker at `/`, `/metrics` with each tenant's state
 * gauges (parked records, open conflicts) read from its own store at every scrape, and `/healthz` (the
 * database answers). It runs no sync: the workers do (`cosell worker`), and they export their own run
 * counters under each run's tenant. With `webhooks`, it also receives every tenant's Partner Center
 * webhooks at /tenants/{id}/webhooks/partner-center and hands them to the workers (tenant-webhooks.ts).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { resolveSecret } from '../../config/secrets.js';
import { dashboardSchema } from '../dashboard/config.js';
import { dashboardPlugin } from '../dashboard/plugin.js';
import type { Logger } from '../logger.js';
import type { PgDatabase } from '../store/pg/pg-database.js';
import { gaugeSourcesOf, pgTenantDirectory } from '../tenants/tenant-directory.js';
import type { ServeSettings } from '../../config/serve.js';
import { openJobQueue } from '../worker/job-queue.js';
import { CertificateStore } from './certificates.js';
import { CosellMetrics } from './metrics.js';
import { guardHostHeader } from './host-guard.js';
import { tenantWebhookRoutes } from './tenant-webhooks.js';
import { ReplayGuard } from './replay-guard.js';
import { fastifyTrustProxy, trustProxyWarning, type TrustProxySetting } from './trust-proxy.js';
import { openMemoryStore } from '../store/memory-store.js';

export interface TenantsServeOptions {
  db: PgDatabase;
  port: number;
  host: string;
  logger: Logger;
  now?: () => Date;
  /** The reverse proxies whose X-Forwarded-For is believed (`serve > trustProxy`, trust-proxy.ts). None by default. */
  trustProxy?: TrustProxySetting;
  /** Receive every tenant's Partner Center webhooks and hand them to the workers (tenant-webhooks.ts). */
  webhooks?: { connectionString: string; settings: ServeSettings };
}

export interface RunningTenantsService {
  app: FastifyInstance;
  metrics: CosellMetrics;
  url: string;
  stop(): Promise<void>;
}

export async function startTenantsServe(options: TenantsServeOptions): Promise<RunningTenantsService> {
  const { db } = options;
  const tenants = pgTenantDirectory(db);
  const metrics = new CosellMetrics({ gauges: () => gaugeSourcesOf(tenants) });
  const trustProxy = options.trustProxy ?? false;
  const unsafe = trustProxyWarning(trustProxy);
  if (unsafe) options.logger.warn(unsafe);
  const app = Fastify({ logger: false, trustProxy: fastifyTrustProxy(trustProxy) });
  guardHostHeader(app, options.host, [options.webhooks?.settings.publicUrl]);

  app.get('/healthz', async (_request, reply) => {
    try {
      await db.pool.query('SELECT 1');
      return reply.send({ status: 'ok', store: 'PostgreSQL answers', uptimeSeconds: Math.round(process.uptime()) });
    } catch (error) {
      return reply.code(503).send({ status: 'unhealthy', store: `PostgreSQL does not answer: ${(error as Error).message}` });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.text();
    return reply.header('content-type', contentType).send(body);
  });
  // No sign-in: a tenant's panels are read-only (the dashboard's actions are a single install's for now).
  await app.register(dashboardPlugin, {
    context: { tenants, now: options.now ?? (() => new Date()), config: dashboardSchema.parse({}), resolveSecret, logger: options.logger.child({ component: 'dashboard' }), crmName: '' },
  });
  const queue = options.webhooks ? await openJobQueue({ connectionString: options.webhooks.connectionString, pool: db.pool, onError: (error) => options.logger.warn({ err: error }, 'the job queue reported an error') }) : undefined;
  if (queue && options.webhooks) {
    const { settings } = options.webhooks;
    await app.register(async (scope) => tenantWebhookRoutes(scope, {
      pool: db.pool,
      queue,
      logger: options.logger,
      certificates: new CertificateStore(settings.webhooks),
      settings,
      replay: new ReplayGuard(openMemoryStore(), settings.webhooks.maxEventAgeMinutes * 60_000),
      now: options.now ?? (() => new Date()),
    }));
  }
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await queue?.stop();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    app,
    metrics,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    async stop() {
      await app.close();
      await queue?.stop();
    },
  };
}
