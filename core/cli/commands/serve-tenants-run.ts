/**
 * What `cosell serve --database REF` does once it runs (commands/serve.ts parses the options): opens the
 * multi-tenant database, serves the dashboard with its tenant picker, `/metrics`, `/healthz` and every
 * tenant's webhook intake over it (core/serve/tenants-serve.ts), and stops cleanly on SIGTERM or Ctrl-C.
 * The `serve` section of the config file, when there is one, gives the webhook checks (certificate hosts,
 * event age); otherwise Microsoft's defaults apply. An edit of the file is followed as `cosell serve` follows
 * it (core/serve/tenants-config-follow.ts): the webhook checks judge the next delivery, and what needs a
 * restart (port, host, trusted proxies, public URL) is named at the edit.
 */
import { existsSync } from 'node:fs';
import { resolveSecret } from '../../../config/secrets.js';
import { DEFAULT_SERVE_SETTINGS } from '../../../config/serve.js';
import { createLogger } from '../../logger.js';
import { startTenantsServe } from '../../serve/tenants-serve.js';
import { openPgDatabase } from '../../store/pg/pg-database.js';
import { ConfigFileWatch } from '../config-reload.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { serveEditReport } from '../serve-edit-report.js';
import { logLevelFor } from '../output.js';
import { untilStopSignal } from '../stop-signals.js';

export async function runTenantsServe(database: string, flags: { port?: number; host?: string }, configFile: string): Promise<ExitCode> {
  const logger = createLogger({ level: logLevelFor('warn') });
  const { loadConfig } = await import('../../../config/load.js');
  // Taken before the file is read, so that an edit made while starting is seen.
  const watch = new ConfigFileWatch(configFile);
  const read = async () => ({ serve: existsSync(configFile) ? loadConfig(configFile).serve : DEFAULT_SERVE_SETTINGS });
  const taken = await read();
  const settings = { ...taken.serve, ...flags };
  const connectionString = await resolveSecret(database, '--database');
  const db = await openPgDatabase({ connectionString, maxConnections: 4 });
  try {
    const config = { watch, taken, flags, open: read, report: serveEditReport(configFile, 'the next webhook delivery', 'check') };
    const service = await startTenantsServe({ db, port: settings.port, host: settings.host, logger, trustProxy: settings.trustProxy, webhooks: { connectionString, settings }, config });
    // Listening for the stop before saying it listens: a SIGTERM sent on that line came before the
    // listener and ended the process by Node's default, without closing the service.
    const stopped = untilStopSignal(() => service.stop());
    console.log(`Listening on ${service.url}: the dashboard of every tenant at /, /metrics (each tenant's state), /healthz, and each tenant's webhooks at /tenants/{tenant}/webhooks/partner-center. Syncs run in the workers.`);
    await stopped;
    console.log('Stopped.');
    return EXIT.ok;
  } finally {
    await db.close();
  }
}
