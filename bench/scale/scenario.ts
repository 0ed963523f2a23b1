/**
 * One scale run: K sandbox sets made tenants of a throwaway database, N deals seeded in each, W worker
 * processes; then the initial sync, an idle cycle after a quiet period, and a cycle with 1% of each
 * tenant's deals changed on each side, each measured until every tenant is quiet (phase.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openPgDatabase, type PgDatabase } from '../../core/store/pg/pg-database.js';
import { openJobQueue, type JobQueue } from '../../core/worker/job-queue.js';
import { createThrowawayDatabase } from '../../test/helpers/pg-database.js';
import { changeReferrals, editCrmDeals } from '../deal-changes.js';
import type { ScaleArgs } from './args.js';
import { measurePhase } from './phase.js';
import { counterDelta, perSecond, snapshotDb, STATS_SETTLE_MS } from './pg-load.js';
import type { ScaleResult } from './report.js';
import { closeTenants, referralsOf, seedTenants, startTenants, type BenchTenant } from './tenant-sets.js';
import { startWorkers, type WorkerPool } from './workers.js';

const CHANGED_SHARE = 0.01;

async function linkedAfterInitial(db: PgDatabase, tenants: BenchTenant[], deals: number): Promise<ScaleResult['linked']> {
  const { rows } = await db.pool.query<{ tenant_id: string; n: string }>('SELECT tenant_id, count(*) AS n FROM links GROUP BY tenant_id');
  const links = new Map(rows.map((r) => [r.tenant_id, Number(r.n)]));
  const perTenant = tenants.map((t) => ({ links: links.get(t.tenantId) ?? 0, referrals: referralsOf(t) }));
  return {
    tenantsComplete: perTenant.filter((t) => t.links === deals && t.referrals === deals).length,
    minLinks: Math.min(...perTenant.map((t) => t.links)),
    minReferrals: Math.min(...perTenant.map((t) => t.referrals)),
  };
}

export async function runScale(args: ScaleArgs, progress: (line: string) => void): Promise<ScaleResult> {
  const result: ScaleResult = { args, seedMs: 0, linked: { tenantsComplete: 0, minLinks: 0, minReferrals: 0 }, phases: [] };
  const throwaway = await createThrowawayDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'cosell-scale-'));
  const masterKey = randomBytes(32);
  let db: PgDatabase | undefined;
  let tenants: BenchTenant[] = [];
  let workers: WorkerPool | undefined;
  let queue: JobQueue | undefined;
  try {
    db = await openPgDatabase({ connectionString: throwaway.url });
    progress(`database ${throwaway.name}; starting ${args.tenants} sandbox sets…`);
    tenants = await startTenants({ db, count: args.tenants, crms: args.crms, masterKey, dir, progress });
    const seedStart = performance.now();
    seedTenants(tenants, args.deals, args.seed);
    result.seedMs = Math.round(performance.now() - seedStart);
    progress(`seeded ${args.deals} deals in ${args.seed} for each tenant in ${(result.seedMs / 1000).toFixed(1)} s; starting ${args.workers} workers (logs in ${dir})`);
    workers = await startWorkers(args.workers, { databaseUrl: throwaway.url, masterKey, concurrency: args.concurrency, logDir: dir });
    queue = await openJobQueue({ connectionString: throwaway.url, pool: db.pool });
    const phase = (name: string, records: number) =>
      measurePhase({ name, records, pool: db!.pool, queue: queue!, tenants, workers: workers!, maxMs: args.maxPhaseMinutes * 60_000, progress });

    const initial = await phase('initial sync', args.tenants * args.deals);
    result.phases.push(initial);
    result.linked = await linkedAfterInitial(db, tenants, args.deals);
    progress(`initial sync: ${(initial.syncedMs / 1000).toFixed(1)} s to synced, ${initial.cycles} cycles; ${result.linked.tenantsComplete} of ${args.tenants} tenants fully linked`);
    if (!initial.quiet) throw new Error(`the initial sync did not go quiet within ${args.maxPhaseMinutes} min`);

    if (args.quietSeconds > 0) {
      // Past every change feed's re-read window (Partner Center 120 s, Salesforce 300 s), as a 5-minute schedule sees it.
      progress(`waiting ${args.quietSeconds} s (the change feeds' re-read windows) and measuring idle workers' database load…`);
      const start = await snapshotDb(db.pool, 0);
      await sleep(Math.max(0, args.quietSeconds * 1000 - STATS_SETTLE_MS));
      const end = await snapshotDb(db.pool);
      result.background = { seconds: args.quietSeconds, perSecond: perSecond(counterDelta(start.counters, end.counters), args.quietSeconds) };
    }
    result.phases.push(await phase('idle', 0));

    const note = `Scale bench change ${new Date().toISOString()}`;
    const count = Math.max(1, Math.round(args.deals * CHANGED_SHARE));
    let changed = 0;
    for (const t of tenants) {
      changed += (await editCrmDeals(t.set, t.kind, count, 0, note)).edited;
      changed += changeReferrals(t.set, count, 0.5, note);
    }
    progress(`changed ${changed} records over ${args.tenants} tenants (1% each side)`);
    result.phases.push(await phase('1% changed each side', changed));
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    progress(`failed: ${result.error}`);
  } finally {
    await queue?.stop().catch(() => undefined);
    await workers?.stop();
    await db?.close();
    await throwaway.drop();
    await closeTenants(tenants);
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
