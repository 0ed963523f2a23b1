/**
 * `cosell serve --database …`: a multi-tenant install's HTTP intake. It receives every tenant's Partner
 * Center webhooks (tenant-webhooks.ts) and hands them to the workers through the database and the job
 * queue; it syncs nothing itself, so any number of intake processes can run behind a load balancer.
 * `/healthz` answers while the database does.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServeSettings } from '../../config/serve.js';
import type { Logger } from '../logger.js';
import { openPgDatabase } from '../store/pg/pg-database.js';
import { openJobQueue } from '../worker/job-queue.js';
import { CertificateStore } from './certificates.js';
import { memoryReplayGuard, tenantWebhookRoutes } from './tenant-webhooks.js';

export interface TenantIntakeOptions {
  connectionString: string;
  settings: ServeSettings;
  logger: Logger;
  now?: () => Date;
}

export interface RunningIntake {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

export async function startTenantIntake(options: TenantIntakeOptions): Promise<RunningIntake> {
  const { settings, logger } = options;
  const db = await openPgDatabase({ connectionString: options.connectionString, maxConnections: 4 });
  const queue = await openJobQueue({ connectionString: options.connectionString, pool: db.pool, onError: (error) => logger.warn({ err: error }, 'the job queue reported an error') });
  const app = Fastify({ logger: false, trustProxy: true });
  await app.register(async (scope) => tenantWebhookRoutes(scope, {
    pool: db.pool,
    queue,
    logger,
    certificates: new CertificateStore(settings.webhooks),
    settings,
    replay: memoryReplayGuard(settings.webhooks.maxEventAgeMinutes * 60_000),
    now: options.now ?? (() => new Date()),
  }));
  app.get('/healthz', async (_request, reply) => {
    const ok = await db.pool.query('SELECT 1').then(() => true, () => false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unhealthy', database: ok ? 'reachable' : 'unreachable' });
  });
  try {
    await app.listen({ port: settings.port, host: settings.host });
  } catch (error) {
    await queue.stop();
    await db.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  return {
    app,
    url: `http://${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${port}`,
    async stop() {
      await app.close();
      await queue.stop();
      await db.close();
    },
  };
}
