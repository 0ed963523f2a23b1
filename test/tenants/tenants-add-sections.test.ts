/**
 * `cosell tenants add` keeps crm, partnerCenter and sync of a config file; it says which other sections
 * it did not keep (an operator who configured the admins' notifications must not believe they are on for
 * the tenant), and says nothing for a file with only what a tenant keeps.
 */
import assert from 'node:assert/strict';
import { EXIT } from '../../core/cli/exit-codes.js';
import { cosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { ORGANISATION, salesforceTenantConfig, tempConfigFile, tenantKeyEnv, tenantKeyVariable } from './tenant-fixtures.js';

const NOTIFICATIONS = `notifications:
  graph:
    authority: https://login.microsoftonline.com/organizations
    clientId: da5b0a7d-0000-4000-8000-00000000da5b
    clientSecret: env:SCALE_TEST_GRAPH_SECRET
  from: cosell-notify@contoso-partner.example
  admins:
    - admin@contoso-partner.example
`;

describe('cosell tenants add: sections a tenant does not keep', function () {
  this.timeout(120_000);
  const opened = useThrowawayPgDatabase();
  const withExtras = tempConfigFile(`${salesforceTenantConfig()}${NOTIFICATIONS}`);
  const tenantOnly = tempConfigFile(salesforceTenantConfig(`env:${tenantKeyVariable('fabrikam')}`).replace(/^store:\n(?: {2}.*\n)*/m, ''));
  after(() => {
    withExtras.cleanup();
    tenantOnly.cleanup();
  });
  const add = (id: string, file: string) =>
    cosell(['tenants', 'add', id, file, '--organisation', ORGANISATION, '--database', 'env:SCALE_TEST_DATABASE_URL'], {
      env: { SCALE_TEST_DATABASE_URL: opened().url, ...tenantKeyEnv('contoso', 'fabrikam'), SCALE_TEST_GRAPH_SECRET: 'graph-secret-value' },
    });

  it('names the sections it did not keep, and the tenant', async () => {
    const added = await add('contoso', withExtras.file);
    assert.equal(added.code, EXIT.ok, added.stderr);
    assert.match(added.stderr, /warning: .*tenant\.yaml: store, notifications not kept for tenant contoso: a tenant keeps crm, partnerCenter and sync only/);
  });

  it('says nothing when the file has only what a tenant keeps', async () => {
    const added = await add('fabrikam', tenantOnly.file);
    assert.equal(added.code, EXIT.ok, added.stderr);
    assert.doesNotMatch(added.stderr, /not kept/);
  });
});
