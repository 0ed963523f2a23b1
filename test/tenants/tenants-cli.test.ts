/**
 * `cosell tenants add|list|remove|check` end to end: the real binary against a throwaway PostgreSQL
 * database named by a secret reference, with exit codes a script can rely on.
 */
import assert from 'node:assert/strict';
import { EXIT } from '../../core/cli/exit-codes.js';
import { cosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { ORGANISATION, SECRET_VALUES, salesforceTenantConfig, tempConfigFile, tenantKeyEnv, tenantKeyVariable } from './tenant-fixtures.js';

describe('cosell tenants', function () {
  this.timeout(120_000);
  const opened = useThrowawayPgDatabase();
  const ids = ['contoso', 'fabrikam', 'northwind', 'tailspin'];
  // Each tenant's config names its own variable (core/tenants/tenant-secret-scope.ts).
  const files = new Map(ids.map((id) => [id, tempConfigFile(salesforceTenantConfig(`env:${tenantKeyVariable(id)}`))]));
  const configOf = (id: string) => files.get(id)!.file;
  const config = files.get('contoso')!;
  after(() => files.forEach((f) => f.cleanup()));
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    cosell(['tenants', ...args, '--database', 'env:SCALE_TEST_DATABASE_URL'], {
      env: { SCALE_TEST_DATABASE_URL: opened().url, COSELL_MASTER_KEY: SECRET_VALUES.SCALE_TEST_MASTER_KEY, ...tenantKeyEnv(...ids), ...extraEnv },
    });

  it('adds tenants, lists them, checks them and removes one with --yes', async () => {
    const added = await run(['add', 'contoso', config.file, '--organisation', ORGANISATION, '--name', 'Contoso Ltd']);
    assert.equal(added.code, EXIT.ok, added.stderr);
    assert.match(added.stdout, /Added tenant contoso \(salesforce, schedule "\*\/5 \* \* \* \*"\)/);
    assert.equal((await run(['add', 'fabrikam', configOf('fabrikam'), '--organisation', ORGANISATION, '--schedule', '0 */2 * * *'])).code, EXIT.ok);

    const listed = await run(['list']);
    assert.equal(listed.code, EXIT.ok, listed.stderr);
    assert.match(listed.stdout, /^TENANT\s+NAME\s+CRM\s+ORGANISATION\s+SCHEDULE\ncontoso\s+Contoso Ltd\s+salesforce\s+72f988bf-86f1-41af-91ab-2d7cd011db47\s+\*\/5 \* \* \* \*\nfabrikam\s/);
    const json = JSON.parse((await run(['list', '--json'])).stdout) as { tenantId: string; schedule: string }[];
    assert.deepEqual(json.map((t) => [t.tenantId, t.schedule]), [['contoso', '*/5 * * * *'], ['fabrikam', '0 */2 * * *']]);

    const checked = await run(['check']);
    assert.equal(checked.code, EXIT.ok, checked.stdout + checked.stderr);
    assert.match(checked.stdout, /contoso: ok\n {2}Partner Center: nobody has signed in for this tenant yet\./);

    const refused = await run(['remove', 'fabrikam']);
    assert.equal(refused.code, EXIT.config);
    assert.match(refused.stderr, /--yes: removing tenant fabrikam deletes/);
    assert.equal((await run(['remove', 'fabrikam', '--yes'])).code, EXIT.ok);
    const unknown = await run(['remove', 'fabrikam', '--yes']);
    assert.equal(unknown.code, EXIT.failed);
    assert.match(unknown.stderr, /There is no tenant fabrikam/);
  });

  it('check reports a reference that does not resolve here as not ready, naming the key and not the value', async () => {
    await run(['add', 'northwind', configOf('northwind'), '--organisation', ORGANISATION]);
    const checked = await run(['check', 'northwind'], { [tenantKeyVariable('northwind')]: '' });
    assert.equal(checked.code, EXIT.notReady);
    assert.match(checked.stdout, /northwind: not ready\n {2}crm > salesforce > auth > privateKey: the environment variable COSELL_TENANT_NORTHWIND__SF_KEY is not set/);
  });

  it('export and import refuse a file they cannot read or write before queuing any job (exit 2)', async () => {
    assert.equal((await run(['add', 'tailspin', configOf('tailspin'), '--organisation', ORGANISATION])).code, EXIT.ok);
    // A short wait: before the check, the job was queued first and the command waited for a worker.
    const out = await run(['export', 'tailspin', '--out', '/no-such-folder/referrals.csv', '--wait-minutes', '0.02']);
    assert.equal(out.code, EXIT.config, out.stderr);
    assert.match(out.stderr, /--out: cannot write \/no-such-folder\/referrals\.csv: the folder \/no-such-folder does not exist/);
    const missing = await run(['import', 'tailspin', '/no-such-folder/deals.csv', '--wait-minutes', '0.02']);
    assert.equal(missing.code, EXIT.config, missing.stderr);
    assert.match(missing.stderr, /\/no-such-folder\/deals\.csv: no such file/);
    const results = await run(['import', 'tailspin', config.file, '--results', '/no-such-folder/r.csv', '--wait-minutes', '0.02']);
    assert.equal(results.code, EXIT.config, results.stderr);
    assert.match(results.stderr, /--results: cannot write \/no-such-folder\/r\.csv: the folder \/no-such-folder does not exist/);
  });

  it('refuses an invalid tenant before touching the database, and an unreachable database clearly', async () => {
    const bad = await run(['add', 'Bad ID', config.file, '--organisation', ORGANISATION]);
    assert.equal(bad.code, EXIT.config);
    assert.match(bad.stderr, /tenant id: "Bad ID" is not a tenant ID/);
    const unreachable = await cosell(['tenants', 'list', '--database', 'env:SCALE_TEST_DATABASE_URL'], { env: { SCALE_TEST_DATABASE_URL: 'postgres://postgres:hunter2-secret@127.0.0.1:1/none' } });
    assert.equal(unreachable.code, EXIT.stateStore);
    assert.match(unreachable.stderr, /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/none cannot be reached/);
    assert.ok(!unreachable.stderr.includes('hunter2'), 'the password never reaches the output');
    const noVariable = await cosell(['tenants', 'list'], { env: { COSELL_DATABASE_URL: '' } });
    assert.equal(noVariable.code, EXIT.config);
    assert.match(noVariable.stderr, /--database: the environment variable COSELL_DATABASE_URL is not set/);
  });
});
