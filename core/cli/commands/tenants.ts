/**
 * `cosell tenants add|list|remove|check`: the partner organisations a multi-tenant install syncs for,
 * kept in PostgreSQL (docs/scale-out.md). The database is named by `--database`, a secret reference
 * (`env:NAME`, `file:/path`) because its URL may carry a password; by default env:COSELL_DATABASE_URL.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveSecret } from '../../../config/secrets.js';
import { ConfigError } from '../../errors.js';
import type { PgDatabase } from '../../store/pg/pg-database.js';
import { EXIT } from '../exit-codes.js';
import { command, table, terminalJson } from '../output.js';
import { registerTenantCsvCommands } from './tenant-csv.js';

export const DEFAULT_DATABASE = 'env:COSELL_DATABASE_URL';

/** `--database`, as every multi-tenant command takes it. */
export const databaseOption = (cmd: Command) => cmd.option('--database <reference>', 'the PostgreSQL URL, as a secret reference (env:NAME or file:/path)', DEFAULT_DATABASE);
/** Every five minutes, as `cosell run` by default (tenant-registry.ts DEFAULT_SCHEDULE; a test keeps them equal). */
export const DEFAULT_TENANT_SCHEDULE = '*/5 * * * *';

/** The registry, its checks and the YAML parser load when a tenants command runs, not for `cosell --help`. */
async function tenantParts() {
  const [registry, { checkTenant }, { changedConfigKeys }, { parse: parseYaml }] = await Promise.all([
    import('../../tenants/tenant-registry.js'),
    import('../../tenants/tenant-check.js'),
    import('../../tenants/config-changes.js'),
    import('yaml'),
  ]);
  return { ...registry, checkTenant, changedConfigKeys, parseYaml };
}

/** Opens the multi-tenant database named by `reference` for one piece of work (also `cosell status --tenant`). */
export async function withDatabase<T>(reference: string, work: (db: PgDatabase) => Promise<T>): Promise<T> {
  const url = await resolveSecret(reference, '--database');
  // Loaded here, so that commands of a single install never load the PostgreSQL client.
  const { openPgDatabase } = await import('../../store/pg/pg-database.js');
  const db = await openPgDatabase({ connectionString: url, maxConnections: 2 });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

async function readConfigFile(file: string): Promise<unknown> {
  const { parseYaml } = await tenantParts();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError('config-file', `cannot read the tenant's config file ${file}`);
  }
  return parseYaml(text) as unknown;
}

/** A repeatable option's values, in order. */
const collect = (value: string, previous: string[]) => [...previous, value];

export function registerTenantCommands(program: Command): void {
  const tenants = program.command('tenants').description('the partner organisations a multi-tenant install syncs for (PostgreSQL)');
  const database = databaseOption;

  database(tenants.command('add'))
    .argument('<id>', 'the tenant ID: lower-case letters, digits and hyphens')
    .argument('<config-file>', "the tenant's cosell config file (crm, partnerCenter, sync; secrets as references)")
    .requiredOption('--organisation <guid>', "the partner's Microsoft Entra tenant ID (its Partner Center organisation)")
    .option('--name <text>', 'a display name (default: the ID)')
    .option('--schedule <cron>', 'when its sync cycle runs, as a five-field cron expression', DEFAULT_TENANT_SCHEDULE)
    .option('--allow-endpoint <host>', "allow the tenant's credentials to go to this host (exact host or host:port, https; a loopback one, such as a sandbox's, too) besides Microsoft's and Salesforce's; repeat for more", collect, [])
    .description("add a tenant, after validating its config (its secret references must be its own: COSELL_TENANT_<ID>__NAME, files under COSELL_TENANT_SECRETS_DIR/<id>/)")
    .action(
      command(async (id: string, file: string, options: { database: string; organisation: string; name?: string; schedule: string; allowEndpoint: string[] }) => {
        const { addTenant, sectionsNotKept, validateTenantDefinition } = await tenantParts();
        const config = await readConfigFile(file);
        const definition = validateTenantDefinition(
          { tenantId: id, displayName: options.name ?? id, pcOrganisation: options.organisation, schedule: options.schedule, config, allowedEndpoints: options.allowEndpoint },
          file,
        );
        const tenant = await withDatabase(options.database, (db) => addTenant(db.pool, definition));
        console.log(`Added tenant ${tenant.tenantId} (${tenant.crmKind}, schedule "${tenant.schedule}"). Check it with: cosell tenants check ${tenant.tenantId}`);
        const notKept = sectionsNotKept(config);
        if (notKept.length > 0) {
          console.error(`warning: ${file}: ${notKept.join(', ')} not kept for tenant ${tenant.tenantId}: a tenant keeps crm, partnerCenter and sync only (the workers have their own store and logging; a tenant has no notifications or dashboard settings of its own).`);
        }
      }),
    );

  database(tenants.command('set-config'))
    .argument('<id>', 'the tenant ID')
    .argument('<config-file>', "the tenant's new cosell config file (validated exactly as by tenants add)")
    .description("replace a tenant's config, keeping its links, parked records, stored sign-in, schedule and allowed endpoints; prints the keys that changed, never their values")
    .action(
      command(async (id: string, file: string, options: { database: string }) => {
        const { changedConfigKeys, getTenant, setTenantConfig, unknownTenantError, validateTenantDefinition } = await tenantParts();
        const config = await readConfigFile(file);
        const done = await withDatabase(options.database, async (db) => {
          const tenant = await getTenant(db.pool, id);
          if (!tenant) throw unknownTenantError(id);
          const definition = validateTenantDefinition({ tenantId: id, displayName: tenant.displayName, pcOrganisation: tenant.pcOrganisation, schedule: tenant.schedule, config, allowedEndpoints: tenant.allowedEndpoints }, file);
          if (definition.config.crm.kind !== tenant.crmKind) {
            throw new ConfigError('crm > kind', `tenant ${id} syncs with ${tenant.crmKind}; its links name ${tenant.crmKind} records, so set-config cannot switch it to ${definition.config.crm.kind} (add a new tenant instead)`);
          }
          await setTenantConfig(db.pool, id, definition.config);
          return changedConfigKeys(tenant.config, definition.config);
        });
        const lines = [...done.changed.map((k) => `  changed  ${k}`), ...done.added.map((k) => `  added    ${k}`), ...done.removed.map((k) => `  removed  ${k}`)];
        console.log(lines.length ? `Tenant ${id}'s config replaced; its links, parked records and sign-in are kept:\n${lines.join('\n')}` : `Tenant ${id}'s config is unchanged.`);
      }),
    );

  database(tenants.command('list'))
    .option('--json', 'print JSON')
    .description('list the tenants')
    .action(
      command(async (options: { database: string; json?: boolean }) => {
        const { listTenants } = await tenantParts();
        const all = await withDatabase(options.database, (db) => listTenants(db.pool));
        if (options.json) {
          console.log(terminalJson(all.map(({ config: _config, ...tenant }) => tenant)));
          return;
        }
        if (all.length === 0) return void console.log('No tenants yet; add one with "cosell tenants add".');
        console.log(table([['TENANT', 'NAME', 'CRM', 'ORGANISATION', 'SCHEDULE'], ...all.map((t) => [t.tenantId, t.displayName, t.crmKind, t.pcOrganisation, t.schedule])]));
      }),
    );

  database(tenants.command('allow-endpoint'))
    .argument('<id>', 'the tenant ID')
    .argument('<host...>', 'exact host or host:port (https only, except loopback: the worker\'s own machine, such as a sandbox)')
    .option('--revoke', 'take the hosts off the list instead')
    .description("the operator's consent for a tenant's credentials to go to a host other than Microsoft's and Salesforce's, loopback included (a tenant's config cannot give it)")
    .action(
      command(async (id: string, hosts: string[], options: { database: string; revoke?: boolean }) => {
        const { changeAllowedEndpoints, unknownTenantError } = await tenantParts();
        const after = await withDatabase(options.database, (db) => changeAllowedEndpoints(db.pool, id, hosts, options.revoke === true));
        if (!after) throw unknownTenantError(id);
        console.log(`Tenant ${id} may send credentials to: ${after.length ? after.join(', ') : "Microsoft's and Salesforce's well-known hosts only"}.`);
      }),
    );

  database(tenants.command('remove'))
    .argument('<id>', 'the tenant ID')
    .option('--yes', 'confirm: the tenant, its sync state and its stored sign-in are deleted')
    .description("remove a tenant with all of its state (nothing in Partner Center or the CRM changes)")
    .action(
      command(async (id: string, options: { database: string; yes?: boolean }) => {
        if (!options.yes) throw new ConfigError('--yes', `removing tenant ${id} deletes its links, parked records and stored sign-in; add --yes to confirm`);
        const { removeTenant, unknownTenantError } = await tenantParts();
        const removed = await withDatabase(options.database, (db) => removeTenant(db.pool, id));
        if (!removed) throw unknownTenantError(id);
        console.log(`Removed tenant ${id} and its state.`);
      }),
    );

  database(tenants.command('check'))
    .argument('[id]', 'one tenant (default: all)')
    .option('--connect', "also sign in to each tenant's CRM and Partner Center and ask what `cosell check` asks (writes nothing)")
    .description("check that each tenant's config validates and its secret references resolve here (with --connect: that its services accept it)")
    .action(
      command(async (id: string | undefined, options: { database: string; connect?: boolean }) => {
        const { checkTenant, getTenant, listTenants, unknownTenantError } = await tenantParts();
        const checks = await withDatabase(options.database, async (db) => {
          const chosen = id ? [await getTenant(db.pool, id)] : await listTenants(db.pool);
          if (id && !chosen[0]) throw unknownTenantError(id);
          const offline = await Promise.all(chosen.map((tenant) => checkTenant(db.pool, tenant!)));
          if (!options.connect) return offline;
          const [{ connectTenantCheck }, { masterKeyFromEnv }, { createLogger }] = await Promise.all([import('../../tenants/tenant-connect-check.js'), import('../../tenants/tenant-keys.js'), import('../../logger.js')]);
          // One tenant after another: each signs in to two services, and a worker may be syncing beside it.
          const connected = [];
          // A tenant the offline check failed is not connected to (its master key may be the problem).
          for (const check of offline) connected.push(check.problems.length ? check : await connectTenantCheck({ db, masterKey: masterKeyFromEnv(), logger: createLogger() }, check));
          return connected;
        });
        for (const check of checks) {
          console.log(`${check.tenantId}: ${check.problems.length === 0 ? 'ok' : 'not ready'}`);
          for (const line of [...check.problems, ...check.notes]) console.log(`  ${line}`);
        }
        return checks.every((c) => c.problems.length === 0) ? EXIT.ok : EXIT.notReady;
      }),
    );
  registerTenantCsvCommands(tenants, databaseOption);
}
