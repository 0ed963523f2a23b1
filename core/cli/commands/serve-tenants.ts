/**
 * `cosell serve --database REF`: a multi-tenant install's webhook intake (core/serve/tenant-intake.ts).
 * The `serve` section of the config file, when there is one, gives the port, host and webhook checks;
 * otherwise the defaults and the flags do. It runs until SIGTERM or Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { resolveSecret } from '../../../config/secrets.js';
import { DEFAULT_SERVE_SETTINGS, type ServeSettings } from '../../../config/serve.js';
import { createLogger } from '../../logger.js';
import { startTenantIntake } from '../../serve/tenant-intake.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { untilStopSignal } from '../stop-signals.js';

export async function runTenantIntake(flags: Partial<ServeSettings>, database: string, configFile: string): Promise<ExitCode> {
  const { loadConfig } = await import('../../../config/load.js');
  const base = existsSync(configFile) ? loadConfig(configFile).serve : DEFAULT_SERVE_SETTINGS;
  const settings: ServeSettings = { ...base, ...flags };
  const intake = await startTenantIntake({
    connectionString: await resolveSecret(database, '--database'),
    settings,
    logger: createLogger({ level: process.env.COSELL_LOG_LEVEL ?? 'info' }),
  });
  console.log(`cosell serve: receiving tenants' webhooks at ${intake.url}/tenants/{tenant}/webhooks/partner-center; workers do the syncing.`);
  await untilStopSignal(() => intake.stop());
  return EXIT.ok;
}
