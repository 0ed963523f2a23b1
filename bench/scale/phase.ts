/**
 * One measured phase of the scale benchmark: cycles requested for every tenant, rounds until each is
 * quiet (cycle-rounds.ts), and around it the sandboxes' billed calls per tenant, the workers' and the
 * sandboxes' CPU, and the database's counters, rows and size.
 */
import { loadavg } from 'node:os';
import type pg from 'pg';
import type { JobQueue } from '../../core/worker/job-queue.js';
import { runRounds, type TenantRounds } from './cycle-rounds.js';
import { counterDelta, snapshotDb, type DbCounters, type DbSnapshot } from './pg-load.js';
import { callsOf, resetCalls, type BenchTenant } from './tenant-sets.js';
import type { WorkerPool } from './workers.js';

export interface PhaseMeasure {
  name: string;
  /** Deals (initial sync) or changed records (1% phase) the phase carried over all tenants. */
  records: number;
  rounds: number;
  quiet: boolean;
  /** From the first request to the end of the last cycle that wrote something. */
  syncedMs: number;
  /** From the first request to the end of the last tenant's cycle that wrote nothing. */
  quietMs: number;
  cycles: number;
  failedCycles: number;
  lagMs: { p50: number; p95: number; max: number };
  /** Billed calls, summed over tenants (billing.ts), and token requests apart. */
  calls: { partnerCenter: number; crm: number; pcTokens: number; crmTokens: number };
  workerCpuSeconds: number;
  /** This process: the K sandbox sets, plus the benchmark's own polling. */
  sandboxCpuSeconds: number;
  /** pg_stat_database deltas from just before the first request to STATS_SETTLE_MS after the last cycle. */
  db: DbCounters;
  dbWindowMs: number;
  after: Pick<DbSnapshot, 'rows' | 'sizeBytes'>;
  tenants: Array<TenantRounds & { partnerCenterCalls: number; crmCalls: number }>;
  /** The machine's 1-minute load average at the phase's start and end (other work on the machine shows here). */
  loadAverage: [number, number];
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function measurePhase(input: {
  name: string;
  records: number;
  pool: pg.Pool;
  queue: JobQueue;
  tenants: BenchTenant[];
  workers: WorkerPool;
  maxMs: number;
  progress: (line: string) => void;
}): Promise<PhaseMeasure> {
  const before = await snapshotDb(input.pool);
  const snappedAt = Date.now();
  resetCalls(input.tenants);
  const workerCpu = input.workers.cpuSeconds();
  const ownCpu = process.cpuUsage();
  const loadAtStart = loadavg()[0] as number;
  const result = await runRounds(input.pool, input.queue, input.tenants.map((t) => t.tenantId), { deadline: Date.now() + input.maxMs, progress: (line) => input.progress(`${input.name}: ${line}`) });
  const calls = callsOf(input.tenants);
  const workerCpuSeconds = input.workers.cpuSeconds() - workerCpu;
  const own = process.cpuUsage(ownCpu);
  const after = await snapshotDb(input.pool);
  const sum = (pick: (c: NonNullable<ReturnType<typeof calls.get>>) => number) => [...calls.values()].reduce((n, c) => n + pick(c), 0);
  const lags = result.tenants.map((t) => t.lagMs ?? Number.NaN).filter((n) => Number.isFinite(n));
  return {
    name: input.name,
    records: input.records,
    rounds: result.rounds,
    quiet: result.quiet,
    syncedMs: Math.max(0, ...result.tenants.map((t) => t.syncedMs)),
    quietMs: Math.max(0, ...result.tenants.map((t) => t.quietMs ?? 0)),
    cycles: result.tenants.reduce((n, t) => n + t.cycles, 0),
    failedCycles: result.tenants.reduce((n, t) => n + t.failedCycles, 0),
    lagMs: { p50: percentile(lags, 50), p95: percentile(lags, 95), max: Math.max(0, ...lags) },
    calls: { partnerCenter: sum((c) => c.partnerCenter.total), crm: sum((c) => c.crm.total), pcTokens: sum((c) => c.partnerCenter.tokenCalls), crmTokens: sum((c) => c.crm.tokenCalls) },
    workerCpuSeconds,
    sandboxCpuSeconds: (own.user + own.system) / 1e6,
    db: counterDelta(before.counters, after.counters),
    dbWindowMs: Date.now() - snappedAt,
    after: { rows: after.rows, sizeBytes: after.sizeBytes },
    loadAverage: [loadAtStart, loadavg()[0] as number],
    tenants: result.tenants.map((t) => ({ ...t, partnerCenterCalls: calls.get(t.tenantId)?.partnerCenter.total ?? 0, crmCalls: calls.get(t.tenantId)?.crm.total ?? 0 })),
  };
}
