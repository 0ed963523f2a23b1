/**
 * Starting and stopping the whole service: take the lock and start the worker, then listen. Stopping is
 * the reverse and graceful: stop accepting connections (requests in flight finish), let the run in
 * progress finish its current page, give the lock back.
 */
import type { FastifyInstance } from 'fastify';
import type { ServeSettings } from '../../config/serve.js';
import type { ConfigFileWatch } from '../cli/config-reload.js';
import type { Runtime } from '../cli/runtime.js';
import type { LockHolder } from '../store/index.js';
import { CertificateStore } from './certificates.js';
import { ServeConfigFollower, type ConfigEditReport, type ServeFlags } from './config-follow.js';
import type { ServeContext } from './context.js';
import { ReplayGuard } from './replay-guard.js';
import { buildServer, type BuildServerOptions } from './server.js';
import { SyncService } from './sync-service.js';
import { trustProxyWarning } from './trust-proxy.js';

export interface StartServeOptions extends BuildServerOptions {
  runtime: Runtime;
  owner: string;
  /** Overrides of the config's `serve` section (command-line flags). */
  settings?: ServeFlags;
  now?: () => Date;
  /**
   * Follow the config file the runtime was opened from (config-follow.ts): `watch` was taken before it was
   * opened, `open` opens an edited file replacing the current runtime, `report` says what an edit did.
   */
  config?: { watch: ConfigFileWatch; open: (replacing: Runtime) => Promise<Runtime>; report: ConfigEditReport };
}

export interface RunningService {
  app: FastifyInstance;
  context: ServeContext;
  /** Where the server listens (`http://host:port`). */
  url: string;
  stop(): Promise<void>;
}

export async function startServe(options: StartServeOptions): Promise<RunningService | { lockedBy: LockHolder }> {
  const { runtime } = options;
  const settings: ServeSettings = { ...runtime.config.serve, ...options.settings };
  const service = new SyncService({ runtime, settings, owner: options.owner });
  const context: ServeContext = {
    runtime,
    settings,
    service,
    certificates: new CertificateStore(settings.webhooks),
    replay: new ReplayGuard(runtime.store, settings.webhooks.maxEventAgeMinutes * 60_000),
    // The engine's clock: Partner Center's when this machine's is off (core/service-clock.ts), so that a
    // webhook event dated by Partner Center is judged in Partner Center's time. The runtime in use: an
    // edited config replaces it.
    now: options.now ?? (() => context.runtime.engineDeps().now()),
  };
  if (options.config) {
    const { watch, open, report } = options.config;
    service.followConfig(new ServeConfigFollower(context, watch, options.settings ?? {}, open, report));
  }
  const unsafe = trustProxyWarning(settings.trustProxy);
  if (unsafe) runtime.logger.warn(unsafe);
  const started = await service.start();
  if ('lockedBy' in started) return started;
  let app: FastifyInstance;
  try {
    app = await buildServer(context, options.plugins ? { plugins: options.plugins } : {});
    await app.listen({ port: settings.port, host: settings.host });
  } catch (error) {
    await service.stop();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  let stopping: Promise<void> | undefined;
  return {
    app,
    context,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    stop: () =>
      (stopping ??= (async () => {
        await app.close();
        await service.stop();
      })()),
  };
}
