/**
 * What a tenant's config may name as a secret. A tenant's config is the tenant's say, and the worker reads
 * its references with the worker's own rights: unconfined, `env:COSELL_MASTER_KEY`, `env:COSELL_DATABASE_URL`,
 * `file:/run/secrets/db-url` or another tenant's variable would be read and sent, as the tenant's "client
 * secret", to an endpoint the tenant controls (its own Salesforce org will do). So a tenant names only its
 * own namespace, which the operator fills:
 * - `env:COSELL_TENANT_<ID>__<NAME>`: <ID> the tenant ID upper-cased with `-` as `_`, <NAME> letters and
 *   digits with single underscores. The double underscore, never in a NAME, keeps two tenants' namespaces
 *   apart (tenant `a` cannot name `COSELL_TENANT_A__B__X`, tenant `a--b`'s);
 * - `file:` under `$COSELL_TENANT_SECRETS_DIR/<id>/` (an absolute path; the real path, links followed, is
 *   checked again when the file is read);
 * - in Partner Center's scripted mode, the variables of `partnerCenter > scripted` likewise.
 * Checked at `tenants add`, `tenants check` and every time a worker loads the tenant (a row edited later).
 */
import { isAbsolute, resolve, sep } from 'node:path';
import { secretReferencesIn } from '../../config/secret-references.js';
import { resolveSecret } from '../../config/secrets.js';
import { ConfigError } from '../errors.js';
import { inside, readTenantFile } from './tenant-secret-file.js';

export const TENANT_SECRETS_DIR_ENV = 'COSELL_TENANT_SECRETS_DIR';

/** `COSELL_TENANT_CONTOSO_EU__` for tenant `contoso-eu`. */
export function tenantEnvPrefix(tenantId: string): string {
  return `COSELL_TENANT_${tenantId.toUpperCase().replaceAll('-', '_')}__`;
}

const NAME = /^[A-Z0-9]+(?:_[A-Z0-9]+)*$/;

/** Why the tenant may not read the variable `name`, or undefined when it may. Pure. */
export function tenantEnvProblem(tenantId: string, name: string): string | undefined {
  const prefix = tenantEnvPrefix(tenantId);
  if (name.startsWith(prefix) && NAME.test(name.slice(prefix.length))) return undefined;
  return `the environment variable ${name} is not tenant ${tenantId}'s: a tenant's config may name only variables ${prefix}<NAME> (NAME in capitals, digits and single underscores), which the operator sets for it`;
}

/** The tenant's own folder of secret files, or undefined when the operator set no COSELL_TENANT_SECRETS_DIR. */
export function tenantSecretsDir(tenantId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const root = env[TENANT_SECRETS_DIR_ENV];
  return root && isAbsolute(root) ? resolve(root, tenantId) : undefined;
}


/** Why the tenant may not read the file `file` (judged by its text), or undefined when it may. Pure. */
export function tenantFileProblem(tenantId: string, file: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = tenantSecretsDir(tenantId, env);
  const root = env[TENANT_SECRETS_DIR_ENV];
  if (root && !dir) return `a tenant's secret files must be under the folder the operator names in ${TENANT_SECRETS_DIR_ENV}, and ${TENANT_SECRETS_DIR_ENV} is ${root}, a relative path: it must be absolute`;
  if (!dir) return `a tenant's secret files must be under the folder the operator names in ${TENANT_SECRETS_DIR_ENV} (an absolute path), and it is not set here`;
  if (isAbsolute(file) && inside(dir, resolve(file))) return undefined;
  return `the file ${file} is not in tenant ${tenantId}'s folder: a tenant's config may name only files under ${dir}${sep}`;
}

/** Why the tenant may not use the reference `ref`, or undefined. Pure. */
export function tenantReferenceProblem(tenantId: string, ref: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (ref.startsWith('env:')) return tenantEnvProblem(tenantId, ref.slice(4));
  if (ref.startsWith('file:')) return tenantFileProblem(tenantId, ref.slice(5), env);
  return 'a secret must be a reference (env:NAME or file:/path)';
}

interface ScopedConfig {
  partnerCenter?: { authMode?: string; scripted?: Record<string, string> };
}

/** Every reference and scripted variable of the config the tenant may not use, each with its key. Pure. */
export function tenantScopeProblems(tenantId: string, config: unknown, env: NodeJS.ProcessEnv = process.env): { path: string; message: string }[] {
  const problems = secretReferencesIn(config).flatMap(({ path, ref }) => {
    const message = tenantReferenceProblem(tenantId, ref, env);
    return message ? [{ path, message }] : [];
  });
  const pc = (config as ScopedConfig | undefined)?.partnerCenter;
  if (pc?.authMode === 'password') {
    for (const [key, name] of Object.entries(pc.scripted ?? {})) {
      const message = tenantEnvProblem(tenantId, name);
      if (message) problems.push({ path: `partnerCenter > scripted > ${key}`, message });
    }
  }
  return problems;
}

/** Throws a ConfigError (exit 2) for the first reference out of the tenant's namespace. */
export function enforceTenantScope(tenantId: string, config: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const [first] = tenantScopeProblems(tenantId, config, env);
  if (first) throw new ConfigError(`tenant ${tenantId} > ${first.path}`, first.message);
}

/**
 * Resolves a reference for the tenant: refused out of its namespace, and a file is judged as opened (its
 * real path in the tenant's real folder, no link, no other name), so nothing placed there leads to another file.
 */
export async function resolveTenantSecret(tenantId: string, ref: string, path: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const problem = tenantReferenceProblem(tenantId, ref, env);
  if (problem) throw new ConfigError(path, problem);
  // Read by the opened file, not by a path judged first (tenant-secret-file.ts).
  if (ref.startsWith('file:')) return readTenantFile(tenantId, ref.slice(5), tenantSecretsDir(tenantId, env)!, path);
  // The environment judged above, not the process's: a worker given another one read a variable it never judged.
  return resolveSecret(ref, path, env);
}

/** Resolves every reference of the tenant's config, confined as above; throws the first failure. */
export async function verifyTenantReferences(tenantId: string, config: unknown, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  enforceTenantScope(tenantId, config, env);
  for (const { path, ref } of secretReferencesIn(config)) await resolveTenantSecret(tenantId, ref, `tenant ${tenantId} > ${path}`, env);
}
