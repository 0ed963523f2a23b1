/**
 * What a worker stores about a failure (a tenant cycle's outcome in `tenant_work`, a CSV job's message in
 * `tenant_csv_jobs`) goes through the same filter as every other failure text (`failureText`): a library
 * error quoting a token, a secret or terminal control characters is never stored raw, since `cosell
 * status --tenant`, `cosell tenants export|import` and `cosell tenants check` print it on an admin's terminal.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { parse } from 'yaml';
import { silentLogger } from '../../core/logger.js';
import { checkTenant } from '../../core/tenants/tenant-check.js';
import { validateTenantDefinition } from '../../core/tenants/tenant-registry.js';
import { readCsvJob, runCsvJob, submitCsvJob } from '../../core/worker/csv-jobs.js';
import { runTenantJob } from '../../core/worker/tenant-job.js';
import { readTenantWork, requestCycle } from '../../core/worker/tenant-work.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { ORGANISATION, SECRET_VALUES, salesforceTenantConfig, tenantKeyEnv, tenantKeyVariable } from '../tenants/tenant-fixtures.js';
import { insertTenants } from './tenants-fixture.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZW5hbnQifQ.c2lnbmF0dXJlc2lnbmF0dXJl';
/** A library's error as it comes: a bearer token, a form body's client secret, an escape sequence and a bidi override. */
const RAW = `request failed: Authorization: Bearer ${JWT} body client_secret=Sup3rS3cretValue \u001b]0;owned\u0007 \u202eevil`;

function assertFiltered(stored: string | undefined): void {
  assert.ok(stored, 'a failure text is stored');
  assert.match(stored, /request failed/);
  assert.doesNotMatch(stored, /eyJhbGci|Sup3rS3cretValue/, 'no credential');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(stored, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, 'no terminal control');
}

/** `pool`, whose queries matching `failing` reject with the raw error (the database driver's, as raw as any library's). */
function failingPool(pool: pg.Pool, failing: RegExp): pg.Pool {
  return new Proxy(pool, {
    get(target, key, receiver) {
      if (key !== 'query') return Reflect.get(target, key, receiver) as unknown;
      return (text: string, values?: unknown[]) => (failing.test(text) ? Promise.reject(new Error(RAW)) : target.query(text, values));
    },
  });
}

describe('failure text a worker stores (PostgreSQL)', function () {
  this.timeout(60_000);
  const database = useThrowawayPgDatabase();
  const pool = () => database().db.pool;
  before(() => insertTenants(pool(), ['alpha']));

  it("a failed cycle's outcome in tenant_work is filtered", async () => {
    await requestCycle(pool(), 'alpha', new Date());
    await assert.rejects(runTenantJob(pool(), 'alpha', { now: () => new Date(), runCycle: () => Promise.reject(new Error(RAW)) }));
    assertFiltered((await readTenantWork(pool(), 'alpha'))?.lastOutcome);
  });

  it("a failed CSV job's message in tenant_csv_jobs is filtered", async () => {
    const id = await submitCsvJob(pool(), 'alpha', { kind: 'export', filter: {} }, undefined, new Date());
    // The tenant's row cannot be read.
    await runCsvJob({ db: { ...database().db, pool: failingPool(pool(), /FROM tenants\b/) }, masterKey: randomBytes(32), logger: silentLogger() }, id);
    const job = await readCsvJob(pool(), id);
    assert.equal(job?.state, 'failed');
    assertFiltered(job?.message);
  });

  it('a problem `cosell tenants check` lists is filtered', async () => {
    const tenant = validateTenantDefinition({ tenantId: 'alpha', displayName: 'alpha', pcOrganisation: ORGANISATION, schedule: '0 * * * *', config: parse(salesforceTenantConfig(`env:${tenantKeyVariable('alpha')}`)) }, 'tenant.yaml');
    // The tenant's token cache cannot be read.
    const checked = await checkTenant(failingPool(pool(), /tenant_token_caches/), { ...tenant, crmKind: 'salesforce', createdAt: '', updatedAt: '' }, { ...process.env, ...SECRET_VALUES, ...tenantKeyEnv('alpha'), COSELL_MASTER_KEY: SECRET_VALUES.SCALE_TEST_MASTER_KEY });
    assert.equal(checked.problems.length, 1, checked.problems.join('\n'));
    assertFiltered(checked.problems[0]);
  });
});
