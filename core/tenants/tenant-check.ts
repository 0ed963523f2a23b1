/**
 * `cosell tenants check`: whether a tenant could sync now, without connecting to anything. Its stored
 * config still validates (a newer cosell-connector may have tightened a rule), every secret reference
 * resolves on this machine, the master key is usable, and the tenant's token cache (if it signed in)
 * decrypts with the tenant's key. Messages name the tenant and the config key; never a secret's value.
 */
import type pg from 'pg';
import { validateConfig } from '../../config/load.js';
import { secretReferencesIn } from '../../config/secret-references.js';
import { resolveSecret } from '../../config/secrets.js';
import { failureText } from '../errors.js';
import { masterKeyFromEnv, tenantTokenKey } from './tenant-keys.js';
import type { Tenant } from './tenant-registry.js';
import { readTenantTokenCache } from './tenant-token-cache.js';

export interface TenantCheck {
  tenantId: string;
  /** What stops the tenant from syncing, each naming what to fix. */
  problems: string[];
  /** What is fine but worth knowing (not signed in yet). */
  notes: string[];
}

export async function checkTenant(pool: pg.Pool, tenant: Tenant, env: NodeJS.ProcessEnv = process.env): Promise<TenantCheck> {
  const problems: string[] = [];
  const notes: string[] = [];
  const problem = (error: unknown) => problems.push(failureText(error));
  try {
    validateConfig(tenant.config, `the config of tenant ${tenant.tenantId}`);
  } catch (error) {
    problem(error);
  }
  for (const { path, ref } of secretReferencesIn(tenant.config)) {
    // Environment references against the environment given (the worker's), files through the usual checks.
    if (ref.startsWith('env:')) {
      if (!env[ref.slice(4)]) problems.push(`${path}: the environment variable ${ref.slice(4)} is not set`);
    } else await resolveSecret(ref, path).catch(problem);
  }
  const pc = tenant.config.partnerCenter;
  if (pc.authMode === 'password') {
    for (const [key, name] of Object.entries(pc.scripted)) {
      if (!env[name]) problems.push(`partnerCenter > scripted > ${key}: the environment variable ${name} is not set`);
    }
  }
  let key;
  try {
    key = tenantTokenKey(masterKeyFromEnv(undefined, env), tenant.tenantId);
  } catch (error) {
    problem(error);
  }
  if (key) {
    try {
      const cache = await readTenantTokenCache(pool, tenant.tenantId, key);
      if (cache === undefined && pc.authMode === 'device-code') notes.push('Partner Center: nobody has signed in for this tenant yet.');
    } catch (error) {
      problem(error);
    }
  }
  return { tenantId: tenant.tenantId, problems, notes };
}
