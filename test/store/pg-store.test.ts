/**
 * The asynchronous store contract on PostgreSQL, in a throwaway database (test/helpers/pg-database.ts):
 * each test uses two fresh tenants, and its "second connection" is a second pool, as a second worker
 * process has. PostgreSQL unreachable: every test here fails with a message that says so.
 */
import { randomBytes } from 'node:crypto';
import { openPgDatabase, type PgDatabase } from '../../core/store/pg/pg-database.js';
import { pgStateStore } from '../../core/store/pg/pg-store.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/pg-database.js';
import { asyncCoordinationContract } from './async-contract-coordination.js';
import { asyncLeadContract } from './async-contract-leads.js';
import { asyncPendingReferralContract } from './async-contract-pending-referrals.js';
import { asyncRecordContract } from './async-contract-records.js';
import { asyncRelatedRowContract } from './async-contract-related-rows.js';
import { asyncWorkerContract } from './async-contract-workers.js';
import type { OpenContractWorld } from './async-store-fixtures.js';

/** A tenant row with nothing but what the store needs (the tenants module adds real ones). */
export async function insertBareTenant(database: PgDatabase, tenantId: string): Promise<void> {
  await database.pool.query(
    `INSERT INTO tenants (tenant_id, display_name, pc_organisation, crm_kind, config_json, schedule, created_at, updated_at)
     VALUES ($1, $1, '00000000-0000-0000-0000-000000000000', 'salesforce', '{}', '*/5 * * * *', $2, $2)`,
    [tenantId, new Date().toISOString()],
  );
}

describe('asynchronous store contract: PostgreSQL', () => {
  let throwaway: ThrowawayDatabase | undefined;
  let worker1: PgDatabase | undefined;
  let worker2: PgDatabase | undefined;
  before(async () => {
    throwaway = await createThrowawayDatabase();
    // Two workers starting together both migrate: the advisory lock makes one wait for the other.
    [worker1, worker2] = await Promise.all([openPgDatabase({ connectionString: throwaway.url }), openPgDatabase({ connectionString: throwaway.url })]);
  });
  after(async () => {
    await worker1?.close();
    await worker2?.close();
    await throwaway?.drop();
  });

  const open: OpenContractWorld = async () => {
    const a = `t-${randomBytes(5).toString('hex')}`;
    const b = `t-${randomBytes(5).toString('hex')}`;
    await insertBareTenant(worker1!, a);
    await insertBareTenant(worker1!, b);
    const store = await pgStateStore(worker1!, a);
    return { store, secondConnection: await pgStateStore(worker2!, a), otherTenant: await pgStateStore(worker1!, b), cleanup: async () => undefined };
  };

  asyncRecordContract(open);
  asyncCoordinationContract(open);
  asyncRelatedRowContract(open);
  asyncWorkerContract(open);
  asyncLeadContract(open);
  asyncPendingReferralContract(open);
});
