/**
 * K tenants, each on its own sandbox set (Entra ID, Partner Center, Salesforce, Dataverse) in this
 * process, made tenants of the throwaway database as an operator would (sandbox/tenant.ts), with N deals
 * seeded in each. The tenants' schedule is once a year: the benchmark asks for every cycle itself, so no
 * schedule occurrence adds a cycle in the middle of a measurement.
 */
import type { PgDatabase } from '../../core/store/pg/pg-database.js';
import { cycleEnded, requestCycle } from '../../core/worker/tenant-work.js';
import { startSandboxSet, type SandboxSet } from '../../sandbox/launch.js';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/index.js';
import { TENANT_SECRETS_DIR_ENV } from '../../core/tenants/tenant-secret-scope.js';
import { addSandboxTenant } from '../../sandbox/tenant.js';
import type { CrmKind } from '../../sandbox/world.js';
import { billedCalls } from '../billing.js';
import { seedDeals } from '../deal-changes.js';
import type { Seeding, SideCalls } from '../protocol.js';

export const BENCH_SCHEDULE = '0 0 1 1 *';

export interface BenchTenant {
  tenantId: string;
  kind: CrmKind;
  set: SandboxSet;
}

export interface TenantCalls {
  partnerCenter: SideCalls;
  crm: SideCalls;
}

const crmCounter = (t: BenchTenant) => (t.kind === 'salesforce' ? t.set.salesforce.counters : t.set.dataverse.counters);

export function resetCalls(tenants: readonly BenchTenant[]): void {
  for (const t of tenants) {
    t.set.partnerCenter.counters.reset();
    crmCounter(t).reset();
  }
}

/** Each tenant's billed calls since the last reset (billing.ts: a composite or `$batch` is one call). */
export function callsOf(tenants: readonly BenchTenant[]): Map<string, TenantCalls> {
  return new Map(tenants.map((t) => [t.tenantId, { partnerCenter: billedCalls(t.set.partnerCenter.counters.snapshot()), crm: billedCalls(crmCounter(t).snapshot()) }]));
}

export function referralsOf(t: BenchTenant): number {
  return t.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).length;
}

export async function startTenants(input: { db: PgDatabase; count: number; crms: CrmKind[]; masterKey: Buffer; dir: string; progress: (line: string) => void }): Promise<BenchTenant[]> {
  const tenants: BenchTenant[] = [];
  const setupAt = new Date();
  for (let i = 0; i < input.count; i += 1) {
    const tenantId = `tenant-${String(i + 1).padStart(3, '0')}`;
    const kind = input.crms[i % input.crms.length] as CrmKind;
    const set = await startSandboxSet({ seed: false });
    tenants.push({ tenantId, kind, set });
    // The tenants' secrets folder, as an operator sets it: each tenant's key files in its own subfolder.
    process.env[TENANT_SECRETS_DIR_ENV] = input.dir;
    await addSandboxTenant({ db: input.db, set, kind, tenantId, masterKey: input.masterKey, dir: input.dir, schedule: BENCH_SCHEDULE });
    // Nothing wanted yet: the workers' first scheduler tick must not start a cycle before the benchmark asks.
    await requestCycle(input.db.pool, tenantId, setupAt);
    await cycleEnded(input.db.pool, tenantId, setupAt, 'bench setup', setupAt);
  }
  input.progress(`${input.count} sandbox sets started and made tenants (${input.crms.join(', ')})`);
  return tenants;
}

export function seedTenants(tenants: readonly BenchTenant[], deals: number, from: Seeding): void {
  for (const t of tenants) {
    const seeded = seedDeals(t.set, t.kind, deals, from);
    if (seeded < deals) throw new Error(`${t.tenantId}: seeded ${seeded} of ${deals} deals`);
  }
}

export async function closeTenants(tenants: readonly BenchTenant[]): Promise<void> {
  for (const t of tenants) await t.set.close();
}
