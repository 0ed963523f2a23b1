/**
 * `cosell serve --database REF`: what a multi-tenant install shows people, from the PostgreSQL database
 * every worker writes to. The dashboard with its tenant picker at `/`, `/metrics` with each tenant's state
 * gauges (parked records, open conflicts) read from its own store at every scrape, and `/healthz` (the
 * database answers). It runs no sync: the workers do (`cosell worker`), and they export their own run
 * counters under each run's tenant. Webhooks for tenants are not received here yet (docs/scale-out.md).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { resolveSecret } from '../../config/secrets.js';
import { dashboardSchema } from '../dashboard/config.js';
import { dashboardPlugin } from '../dashboard/plugin.js';
import type { Logger } from '../logger.js';
import type { PgDatabase } from '../store/pg/pg-database.js';
import { gaugeSourcesOf, pgTenantDirectory } from '../tenants/tenant-directory.js';
import { CosellMetrics } from './metrics.js';

export interface TenantsServeOptions {
  db: PgDatabase;
  port: number;
  host: string;
  logger: Logger;
  now?: () => Date;
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
  const app = Fastify({ logger: false, trustProxy: true });

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
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { app, metrics, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, stop: () => app.close() };
}
