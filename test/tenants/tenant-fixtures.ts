/**
 * A tenant's config file as an admin writes it (secrets as references), and the secret values the
 * environment gives those references in the tests, which must never reach the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tenantEnvPrefix } from '../../core/tenants/tenant-secret-scope.js';

export const SECRET_VALUES = {
  SCALE_TEST_SF_KEY: '-----BEGIN PRIVATE KEY-----scale-test-private-key-value-4f1c9a-----END PRIVATE KEY-----',
  SCALE_TEST_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
};

export const ORGANISATION = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** The variable a tenant's private key is in: one of the tenant's own (core/tenants/tenant-secret-scope.ts). */
export function tenantKeyVariable(tenantId: string): string {
  return `${tenantEnvPrefix(tenantId)}SF_KEY`;
}

/** The environment that gives each tenant's key reference its value. */
export function tenantKeyEnv(...tenantIds: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(tenantIds.map((id) => [tenantKeyVariable(id), SECRET_VALUES.SCALE_TEST_SF_KEY]));
}

/** A Salesforce tenant's config; `privateKey` is a reference (by default tenant `contoso`'s own variable). */
export function salesforceTenantConfig(privateKey = `env:${tenantKeyVariable('contoso')}`): string {
  return `crm:
  kind: salesforce
  salesforce:
    loginUrl: https://login.salesforce.com
    clientId: "3MVG9-consumer-key"
    auth:
      kind: jwt
      username: integration.user@example.com
      privateKey: ${JSON.stringify(privateKey)}
partnerCenter:
  clientId: "0f6c2d4e-1111-4a2b-9c3d-5e6f7a8b9c0d"
  authority: https://login.microsoftonline.com/organizations
sync:
  conflictPolicy: manual
  holdWonHours: 24
store:
  path: .state/ignored-for-tenants.sqlite
`;
}

/** Writes `content` to a fresh temp file; returns its path and a cleanup. */
export function tempConfigFile(content: string): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-tenant-'));
  const file = path.join(dir, 'tenant.yaml');
  fs.writeFileSync(file, content, { mode: 0o600 });
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** For a describe block: writes each config text to a fresh temp file (returns its path), all removed after the block. */
export function useTempConfigFiles(): (content: string) => string {
  const files: { cleanup: () => void }[] = [];
  after(() => files.forEach((f) => f.cleanup()));
  return (content) => {
    const made = tempConfigFile(content);
    files.push(made);
    return made.file;
  };
}
