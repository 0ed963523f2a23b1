/**
 * `cosell status --tenant X`: the real binary against a throwaway PostgreSQL database with two tenants.
 * It prints the single install's status (same rendering) for that tenant alone, with its runner lock
 * holder and its work record; an unknown tenant is an error that names it.
 */
import assert from 'node:assert/strict';
import { EXIT } from '../../core/cli/exit-codes.js';
import { cosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { CONTOSO, CONTOSO_PARKED, FABRIKAM_PARKED, LOCK_OWNER, seedTwoTenants } from '../tenants/observability-fixtures.js';

describe('cosell status --tenant', function () {
  this.timeout(120_000);
  const opened = useThrowawayPgDatabase();
  before(async () => seedTwoTenants(opened().db, new Date()));
  const status = (args: string[]) => cosell(['status', ...args, '--database', 'env:OBSERVE_TEST_DATABASE_URL'], { env: { OBSERVE_TEST_DATABASE_URL: opened().url } });

  it("prints the tenant's runs, lock holder, work record, links, parked records and conflicts, and nothing of another tenant", async () => {
    const result = await status(['--tenant', CONTOSO.id]);
    assert.equal(result.code, EXIT.ok, result.stderr);
    const out = result.stdout;
    assert.match(out, /^Tenant contoso \(Contoso Ltd\)\n/);
    assert.match(out, /run\s+started\s+outcome\s+read\s+writes\n\d+\s+2026-12-04T10:00:00\.000Z\s+partial\s+6\s+1/);
    assert.match(out, /Run \d+ partial: Partner Center answered 503 twice/);
    assert.match(out, new RegExp(`Runner lock: ${LOCK_OWNER} \\(process 4242 on host-b\\), heartbeat [^\\n]+ \\(running\\)`));
    assert.match(out, /Cycles: one is wanted for 2026-12-04T10:05:00\.000Z; the latest finished cycle was for 2026-12-04T10:00:00\.000Z/);
    assert.match(out, /Latest cycle: started 2026-12-04T10:00:01\.000Z, ended 2026-12-04T10:00:06\.000Z \(partial\)/);
    assert.match(out, /Links: 2 active, 0 crm-deleted, 0 referral-missing/);
    assert.match(out, new RegExp(`Parked: 1 [^\\n]*\\n {2}CRM record ${CONTOSO_PARKED} "Contoso parked deal" could not be sent to Partner Center`));
    assert.match(out, /Open conflicts: 1\n/);
    assert.ok(!out.includes(FABRIKAM_PARKED), "another tenant's parked record is not shown");
  });

  it('prints the same as JSON, with the tenant and its work record', async () => {
    const result = await status(['--tenant', CONTOSO.id, '--json']);
    assert.equal(result.code, EXIT.ok, result.stderr);
    const json = JSON.parse(result.stdout) as {
      tenant: { id: string; name: string };
      lock: { owner: string; alive: boolean };
      parkedTotal: number;
      conflicts: unknown[];
      work: { cycleDue: boolean; lastOutcome: string; cycleWantedAt: string; cycleDoneFor: string };
    };
    assert.deepEqual(json.tenant, CONTOSO);
    assert.deepEqual([json.lock.owner, json.lock.alive], [LOCK_OWNER, true]);
    assert.deepEqual([json.parkedTotal, json.conflicts.length], [1, 1]);
    assert.deepEqual(json.work, {
      cycleWantedAt: '2026-12-04T10:05:00.000Z',
      cycleDoneFor: '2026-12-04T10:00:00.000Z',
      cycleStartedAt: '2026-12-04T10:00:01.000Z',
      cycleEndedAt: '2026-12-04T10:00:06.000Z',
      lastOutcome: 'partial',
      cycleDue: true,
    });
  });

  it('shows a tenant with no run, no lock and no work record yet', async () => {
    const result = await status(['--tenant', 'fabrikam']);
    assert.equal(result.code, EXIT.ok, result.stderr);
    assert.match(result.stdout, /^Tenant fabrikam \(Fabrikam\)\n/);
    assert.ok(!result.stdout.includes('Runner lock'));
    assert.match(result.stdout, /Cycles: none wanted yet/);
    assert.match(result.stdout, new RegExp(`Partner Center referral ${FABRIKAM_PARKED} "Fabrikam inbound" could not be written to the CRM`));
  });

  it('refuses an unknown tenant, naming it', async () => {
    const result = await status(['--tenant', 'northwind']);
    assert.equal(result.code, EXIT.failed);
    assert.match(result.stderr, /There is no tenant northwind; "cosell tenants list" shows the tenants\./);
    assert.equal(result.stdout, '');
  });

  it('refuses --database without --tenant', async () => {
    const result = await cosell(['status', '--database', 'env:SOMEWHERE']);
    assert.equal(result.code, EXIT.config);
    assert.match(result.stderr, /--database: names the multi-tenant database: give --tenant too/);
  });
});
