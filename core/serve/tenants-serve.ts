/**
 * `cosell serve --database REF`: what a multi-tenant install shows people, from the PostgreSQL database
 * every worker writes to. The dashboard with its tenant picker at `/`, `/metrics` with each tenant's state
 * gauges (parked records, open conflicts) read from its own store at every scrape, and `/healthz` (the
 * database answers). It runs no sync: the workers do (`cosell worker`), and they export their own run
 * counters under each run's tenant. With `webhooks`, it also receives every tenant's Partner Center
 * webhooks at /tenants/{id}/webhooks/partner-center and hands them to the workers (tenant-webhooks.ts).
 * It follows edits of its config file's `serve` section as a single install's serve does
 * (tenants-config-follow.ts): the webhook checks from the next delivery on, the rest named as needing a restart.
 */
import type { FastifyInstance } from 'fastify';
import { resolveSecret } from '../../config/secrets.js';
import { dashboardSchema } from '../dashboard/config.js';
import { dashboardPlugin } from '../dashboard/plugin.js';
import type { Logger } from '../logger.js';
import { failureText } from '../errors.js';
import type { PgDatabase } from '../store/pg/pg-database.js';
import { gaugeSourcesOf, pgTenantDirectory } from '../tenants/tenant-directory.js';
import type { ServeSettings } from '../../config/serve.js';
import { openJobQueue } from '../worker/job-queue.js';
import { CertificateStore } from './certificates.js';
import { CosellMetrics } from './metrics.js';
import { guardHostHeader } from './host-guard.js';
import { tenantWebhookRoutes } from './tenant-webhooks.js';
import { ReplayGuard } from './replay-guard.js';
import { serviceFastify } from './http-server.js';
import { trustProxyWarning, type TrustProxySetting } from './trust-proxy.js';
import { openMemoryStore } from '../store/memory-store.js';
import type { ConfigFileWatch } from '../cli/config-reload.js';
import { CONFIG_CHECK_MS, type ConfigEditReport, type ServeFlags } from './config-follow.js';
import { TenantsConfigFollower, type ServeSection } from './tenants-config-follow.js';

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
  /**
   * Follow the config file the settings came from (tenants-config-follow.ts): `watch` was taken before it
   * was read, `taken` is its `serve` section as read, `flags` the command line's overrides, `open` reads an
   * edited file, `report` says what an edit did.
   */
  config?: { watch: ConfigFileWatch; taken: ServeSection; flags: ServeFlags; open: () => Promise<ServeSection>; report: ConfigEditReport };
}

export interface RunningTenantsService {
  app: FastifyInstance;
  metrics: CosellMetrics;
  url: string;
  /** Takes an edit of the config file now, if any (a timer asks every few seconds too). */
  checkConfig(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTenantsServe(options: TenantsServeOptions): Promise<RunningTenantsService> {
  const { db } = options;
  const tenants = pgTenantDirectory(db);
  const metrics = new CosellMetrics({ gauges: () => gaugeSourcesOf(tenants) });
  const trustProxy = options.trustProxy ?? false;
  const unsafe = trustProxyWarning(trustProxy);
  if (unsafe) options.logger.warn(unsafe);
  const app = serviceFastify(trustProxy);
  guardHostHeader(app, options.host, [options.webhooks?.settings.publicUrl]);

  app.get('/healthz', async (_request, reply) => {
    try {
      await db.pool.query('SELECT 1');
      return reply.send({ status: 'ok', store: 'PostgreSQL answers', uptimeSeconds: Math.round(process.uptime()) });
    } catch (error) {
      return reply.code(503).send({ status: 'unhealthy', store: `PostgreSQL does not answer: ${failureText(error)}` });
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
  let follower: TenantsConfigFollower | undefined;
  if (queue && options.webhooks) {
    const { settings } = options.webhooks;
    const replayStore = openMemoryStore();
    // The routes read the guards and settings at each delivery: an edit of the config file replaces them.
    const intake = {
      pool: db.pool,
      queue,
      logger: options.logger,
      certificates: new CertificateStore(settings.webhooks),
      settings,
      replay: new ReplayGuard(replayStore, settings.webhooks.maxEventAgeMinutes * 60_000),
      now: options.now ?? (() => new Date()),
    };
    await app.register(async (scope) => tenantWebhookRoutes(scope, intake));
    if (options.config) {
      const { watch, taken, flags, open, report } = options.config;
      follower = new TenantsConfigFollower(intake, taken, replayStore, watch, flags, open, report);
    }
  }
  const checkConfig = () => follower?.check() ?? Promise.resolve();
  const timer = follower ? setInterval(() => void checkConfig().catch((error: unknown) => options.logger.warn({ err: error }, 'reading the config file failed')), CONFIG_CHECK_MS) : undefined;
  timer?.unref();
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    clearInterval(timer);
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
    checkConfig,
    async stop() {
      clearInterval(timer);
      await app.close();
      await queue?.stop();
    },
  };
}
