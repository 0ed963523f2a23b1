/**
 * The tenants' secrets folder (COSELL_TENANT_SECRETS_DIR) for a suite: the operator's setting that a
 * tenant's `file:` references must lie under (core/tenants/tenant-secret-scope.ts). Set in this process,
 * so that in-process workers and the CLI children the helpers start (they inherit process.env) read it;
 * restored after the suite. Call inside a describe.
 */
import { TENANT_SECRETS_DIR_ENV } from '../../core/tenants/tenant-secret-scope.js';

export function useTenantSecretsDir(dir: string): void {
  let previous: string | undefined;
  before(() => {
    previous = process.env[TENANT_SECRETS_DIR_ENV];
    process.env[TENANT_SECRETS_DIR_ENV] = dir;
  });
  after(() => {
    if (previous === undefined) delete process.env[TENANT_SECRETS_DIR_ENV];
    else process.env[TENANT_SECRETS_DIR_ENV] = previous;
  });
}
