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
import type { StartupStop } from '../held-stop.js';

/**
 * `startup`: listening since the command's first line (held-stop.ts; the caller ends it however this ends).
 * A stop while the parts load or the database opens ends with 0 once what was opened is closed (a migration
 * under way finishes first: it runs in its own transaction); the service's own handler takes over below.
 */
export async function runTenantsServe(database: string, flags: { port?: number; host?: string }, configFile: string, startup: StartupStop): Promise<ExitCode> {
  const stoppedBeforeStart = () => {
    console.log(`${startup.asked() ?? 'A stop'}: stopped before the service started.`);
    return EXIT.ok;
  };
  const logger = createLogger({ level: logLevelFor('warn') });
  const { loadConfig } = await import('../../../config/load.js');
  // Taken before the file is read, so that an edit made while starting is seen.
  const watch = new ConfigFileWatch(configFile);
  const read = async () => ({ serve: existsSync(configFile) ? loadConfig(configFile).serve : DEFAULT_SERVE_SETTINGS });
  const taken = await read();
  const settings = { ...taken.serve, ...flags };
  const connectionString = await resolveSecret(database, '--database');
  if (startup.signal.aborted) return stoppedBeforeStart();
  const db = await openPgDatabase({ connectionString, maxConnections: 4 });
  try {
    if (startup.signal.aborted) return stoppedBeforeStart();
    const config = { watch, taken, flags, open: read, report: serveEditReport(configFile, 'the next webhook delivery', 'check') };
    const service = await startTenantsServe({ db, port: settings.port, host: settings.host, logger, trustProxy: settings.trustProxy, webhooks: { connectionString, settings }, config });
    // Listening for the stop before saying it listens: a SIGTERM sent on that line came before the
    // listener and ended the process by Node's default, without closing the service. Handed over with no
    // await between: a stop asked while the service started closes it now.
    const asked = startup.asked();
    const stopped = untilStopSignal(() => service.stop(), asked);
    startup.end();
    if (!asked) console.log(`Listening on ${service.url}: the dashboard of every tenant at /, /metrics (each tenant's state), /healthz, and each tenant's webhooks at /tenants/{tenant}/webhooks/partner-center. Syncs run in the workers.`);
    await stopped;
    console.log(asked ? `${asked}: stopped as the service started.` : 'Stopped.');
    return EXIT.ok;
  } finally {
    await db.close();
  }
}
