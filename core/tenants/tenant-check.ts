/**
 * `cosell tenants check`: whether a tenant could sync now, without connecting to anything. Its stored
 * config still validates (a newer cosell-connector may have tightened a rule), every secret reference
 * resolves on this machine, the master key is usable, and the tenant's token cache (if it signed in)
 * decrypts with the tenant's key. Messages name the tenant and the config key; never a secret's value.
 */
import type pg from 'pg';
import { tenantConsent } from '../../config/endpoint-consent.js';
import { validateConfig } from '../../config/load.js';
import { secretReferencesIn } from '../../config/secret-references.js';
import { failureText } from '../errors.js';
import { masterKeyFromEnv, tenantTokenKey } from './tenant-keys.js';
import type { Tenant } from './tenant-registry.js';
import { resolveTenantSecret, tenantReferenceProblem, tenantScopeProblems } from './tenant-secret-scope.js';
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
    validateConfig(tenant.config, `the config of tenant ${tenant.tenantId}`, tenantConsent(tenant.tenantId, tenant.allowedEndpoints));
  } catch (error) {
    problem(error);
  }
  const outOfScope = tenantScopeProblems(tenant.tenantId, tenant.config, env);
  for (const p of outOfScope) problems.push(`${p.path}: ${p.message}`);
  for (const { path, ref } of secretReferencesIn(tenant.config)) {
    // A reference out of the tenant's namespace is reported above and never read, not even to see if it is set.
    if (tenantReferenceProblem(tenant.tenantId, ref, env)) continue;
    // Environment references against the environment given (the worker's), files through the usual checks.
    if (ref.startsWith('env:')) {
      if (!env[ref.slice(4)]) problems.push(`${path}: the environment variable ${ref.slice(4)} is not set`);
    } else await resolveTenantSecret(tenant.tenantId, ref, path, env).catch(problem);
  }
  const pc = tenant.config.partnerCenter;
  if (pc.authMode === 'password' && outOfScope.length === 0) {
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
