/** Tenant rows for the queue tests (the queue needs only their IDs and schedules). */
import type pg from 'pg';

export async function insertTenants(pool: pg.Pool, ids: readonly string[], schedule = '0 0 1 1 *'): Promise<void> {
  for (const id of ids) {
    await pool.query(
      `INSERT INTO tenants (tenant_id, display_name, pc_organisation, crm_kind, config_json, schedule, created_at, updated_at)
       VALUES ($1, $1, '72f988bf-0000-4000-8000-00000000c05e', 'salesforce', '{}', $2, '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z')`,
      [id, schedule],
    );
  }
}
