/**
 * A tenant's `env:` references are judged and read in the same environment. Until 2026-12-07
 * verifyTenantReferences (and resolveTenantSecret) judged the environment it was given but read the
 * process's: a variable set only in the given one was "not set", and one set only in the process's was read.
 */
import assert from 'node:assert/strict';
import { resolveTenantSecret, verifyTenantReferences } from '../../core/tenants/tenant-secret-scope.js';

const NAME = 'COSELL_TENANT_ENVTEST__DV_SECRET';
const config = { crm: { kind: 'dynamics', dynamics: { clientSecret: `env:${NAME}` } } };

describe('tenants: env: references are read from the environment they are judged in', () => {
  afterEach(() => {
    delete process.env[NAME];
  });

  it('a variable set only in the given environment is found', async () => {
    await verifyTenantReferences('envtest', config, { [NAME]: 'given-env-secret' });
    assert.equal(await resolveTenantSecret('envtest', `env:${NAME}`, 'crm > dynamics > clientSecret', { [NAME]: 'given-env-secret' }), 'given-env-secret');
  });

  it("a variable set only in the process's environment is not read when another is given, naming the key and variable", async () => {
    process.env[NAME] = 'process-env-secret';
    await assert.rejects(verifyTenantReferences('envtest', config, {}), (error: Error) => {
      assert.match(error.message, /tenant envtest > crm > dynamics > clientSecret/);
      assert.match(error.message, new RegExp(`${NAME} is not set`));
      assert.ok(!error.message.includes('process-env-secret'));
      return true;
    });
  });
});
