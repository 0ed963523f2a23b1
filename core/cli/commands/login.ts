/** `cosell login partner-center`: the one interactive step, a device-code sign-in stored encrypted. */
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { command } from '../output.js';

export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('sign in once; later runs refresh silently')
    .argument('<service>', 'partner-center')
    .option('--tenant <id>', 'sign in for this tenant of a multi-tenant install (stored in PostgreSQL, encrypted under the tenant\'s key)')
    .option('--database <reference>', 'the PostgreSQL URL of a multi-tenant install, as a secret reference', 'env:COSELL_DATABASE_URL')
    .action(
      command(async (service: string, flags: { tenant?: string; database: string }) => {
        if (service !== 'partner-center') throw new ConfigError('service', 'only "partner-center" needs a sign-in (CRMs use the credentials in the config)');
        if (flags.tenant) return loginForTenant(flags.tenant, flags.database);
        // Loaded when the command runs, not at start: `cosell --help` and every other command start without it.
        const [{ loginPartnerCenter }, { loadConfig }] = await Promise.all([import('../../../connectors/partner-center/index.js'), import('../../../config/load.js')]);
        const config = loadConfig(program.opts<{ config: string }>().config);
        const result = await loginPartnerCenter(config.partnerCenter, { onPrompt: (prompt) => console.log(prompt.message) });
        console.log(`Signed in as ${result.username}. The session is stored encrypted in ${result.tokenCachePath}.`);
      }),
    );
}

/** `--tenant X`: the tenant's sign-in, kept in its row of the database (core/tenants/tenant-sign-in.ts). */
async function loginForTenant(tenantId: string, database: string): Promise<void> {
  const [{ resolveSecret }, { openPgDatabase }, registry, { loginTenant }, { masterKeyFromEnv }, { validateConfig }, { tenantConsent }] = await Promise.all([
    import('../../../config/secrets.js'),
    import('../../store/pg/pg-database.js'),
    import('../../tenants/tenant-registry.js'),
    import('../../tenants/tenant-sign-in.js'),
    import('../../tenants/tenant-keys.js'),
    import('../../../config/load.js'),
    import('../../../config/endpoint-consent.js'),
  ]);
  const masterKey = masterKeyFromEnv();
  const db = await openPgDatabase({ connectionString: await resolveSecret(database, '--database'), maxConnections: 2 });
  try {
    const tenant = await registry.getTenant(db.pool, tenantId);
    if (!tenant) throw registry.unknownTenantError(tenantId);
    // The sign-in's endpoints are the tenant's, judged with the operator's consent for it (never the config's).
    validateConfig(tenant.config, `tenant ${tenantId}`, tenantConsent(tenantId, tenant.allowedEndpoints));
    const result = await loginTenant(db.pool, tenantId, masterKey, tenant.config.partnerCenter, (prompt) => console.log(prompt.message));
    console.log(`Signed in tenant ${tenantId} as ${result.username}. The session is stored encrypted in the database, under the tenant's own key.`);
  } finally {
    await db.close();
  }
}
