/**
 * What `cosell serve --database REF` does once it runs (commands/serve.ts parses the options): opens the
 * multi-tenant database, serves the dashboard with its tenant picker, `/metrics` and `/healthz` over it
 * (core/serve/tenants-serve.ts), and stops cleanly on SIGTERM or Ctrl-C.
 */
import { DEFAULT_SERVE_PORT } from '../../../config/serve.js';
import { createLogger } from '../../logger.js';
import { startTenantsServe } from '../../serve/tenants-serve.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { logLevelFor } from '../output.js';
import { onStopSignals } from '../stop-signals.js';
import { withDatabase } from './tenants.js';

export async function runTenantsServe(database: string, settings: { port?: number; host?: string }): Promise<ExitCode> {
  const logger = createLogger({ level: logLevelFor('warn') });
  return withDatabase(database, async (db) => {
    const service = await startTenantsServe({ db, port: settings.port ?? DEFAULT_SERVE_PORT, host: settings.host ?? '127.0.0.1', logger });
    console.log(`Listening on ${service.url}: the dashboard of every tenant at /, /metrics (each tenant's state), /healthz. Syncs run in the workers.`);
    await new Promise<void>((resolve) => {
      const stopSignals = onStopSignals({
        graceful: (signal) => {
          console.log(`${signal}: stopping.`);
          void service.stop().finally(() => {
            stopSignals();
            resolve();
          });
        },
      });
    });
    console.log('Stopped.');
    return EXIT.ok;
  });
}
