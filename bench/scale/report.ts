/**
 * The scale benchmark's tables (Markdown, to stdout and bench/results/scale/<stamp>.md) and every figure
 * (bench/results/scale/<stamp>.json, git-ignored with the rest of bench/results/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { markdownTable } from '../report.js';
import type { ScaleArgs } from './args.js';
import type { PhaseMeasure } from './phase.js';
import type { DbCounters } from './pg-load.js';

export interface ScaleResult {
  args: ScaleArgs;
  seedMs: number;
  /** Per tenant after the initial sync: links in the database and referrals in its Partner Center sandbox. */
  linked: { tenantsComplete: number; minLinks: number; minReferrals: number };
  /** Idle workers' load on the database per second (pg-boss polling and maintenance, scheduler ticks), measured over the quiet wait. */
  background?: { seconds: number; perSecond: DbCounters };
  phases: PhaseMeasure[];
  error?: string;
}

export const SCALE_NOTES = [
  'Everything runs on one machine: the K sandbox sets in the benchmark process, W `cosell worker` processes, PostgreSQL; they share its cores, so wall times are upper bounds for the sync alone.',
  'synced s: from the request of the first round to the end of the last cycle that wrote something; deals/s = records ÷ synced s. lag: request → end of each tenant\'s first cycle (includes waiting for a free worker).',
  'Calls are billed calls counted by the sandboxes (a composite or $batch is one call; token requests apart), per tenant per cycle.',
  'Database figures are pg_stat_database deltas over the phase plus an 11 s settle (statistics are flushed lazily), and include pg-boss and the benchmark\'s 1 s polling of tenant_work; the per-record, per-tenant-cycle and per-second columns subtract the idle workers\' background rate (measured during the quiet wait) over the same window. written = tup_inserted + tup_updated + tup_deleted; per second is over the phase\'s wall time to quiet.',
];

const s = (ms: number) => (ms / 1000).toFixed(1);
const per = (n: number, d: number, digits = 1) => (d > 0 ? (n / d).toFixed(digits) : '—');

export const PHASE_HEADER = [
  'K × N × W', 'CRM', 'phase', 'rounds', 'cycles', 'synced s', 'deals/s', 'lag p50/p95/max s', 'PC calls / tenant-cycle', 'CRM calls / tenant-cycle',
  'worker CPU s', 'sandbox CPU s', 'commits / record', 'written / record', 'commits / tenant-cycle', 'written / tenant-cycle', 'commits / s', 'written / s', 'DB MB', 'machine load 1 min',
];

function written(db: DbCounters): number {
  return db.tupInserted + db.tupUpdated + db.tupDeleted;
}

/** The phase's own share: its counters less the idle workers' background over the same window (when measured). */
function net(p: PhaseMeasure, r: ScaleResult): DbCounters {
  const background = r.background?.perSecond;
  if (!background) return p.db;
  const out = { ...p.db };
  for (const key of Object.keys(out) as Array<keyof DbCounters>) out[key] = Math.max(0, out[key] - background[key] * (p.dbWindowMs / 1000));
  return out;
}

export function phaseRows(results: ScaleResult[]): string[][] {
  return results.flatMap((r) =>
    r.phases.map((p) => {
      const seconds = Math.max(p.quietMs, 1) / 1000;
      const own = net(p, r);
      return [
        `${r.args.tenants} × ${r.args.deals} × ${r.args.workers}`, r.args.crms.join('+'), `${p.name}${p.quiet ? '' : ' (not quiet)'}`, String(p.rounds), String(p.cycles),
        s(p.syncedMs), p.records > 0 && p.syncedMs > 0 ? (p.records / (p.syncedMs / 1000)).toFixed(0) : '—', `${s(p.lagMs.p50)} / ${s(p.lagMs.p95)} / ${s(p.lagMs.max)}`,
        per(p.calls.partnerCenter, p.cycles), per(p.calls.crm, p.cycles), p.workerCpuSeconds.toFixed(1), p.sandboxCpuSeconds.toFixed(1),
        per(own.xactCommit, p.records), per(written(own), p.records), per(own.xactCommit, p.cycles, 0), per(written(own), p.cycles, 0),
        (own.xactCommit / seconds).toFixed(0), (written(own) / seconds).toFixed(0), (p.after.sizeBytes / 1024 ** 2).toFixed(0),
        p.loadAverage ? `${p.loadAverage[0].toFixed(1)} → ${p.loadAverage[1].toFixed(1)}` : '—',
      ];
    }),
  );
}

function rowsTable(results: ScaleResult[]): string {
  const tables = [...new Set(results.flatMap((r) => r.phases.flatMap((p) => Object.keys(p.after.rows))))].sort();
  const body = results.flatMap((r) => {
    const last = r.phases[r.phases.length - 1];
    if (!last) return [];
    return [[`${r.args.tenants} × ${r.args.deals} × ${r.args.workers}`, ...tables.map((t) => String(last.after.rows[t] ?? 0))]];
  });
  return markdownTable(['K × N × W', ...tables], body, 1);
}

function backgroundLines(results: ScaleResult[]): string[] {
  return results.flatMap((r) =>
    r.background
      ? [`- ${r.args.tenants} × ${r.args.deals} × ${r.args.workers}, idle workers over ${r.background.seconds.toFixed(0)} s: ${r.background.perSecond.xactCommit.toFixed(1)} commits/s, ${written(r.background.perSecond).toFixed(1)} rows written/s, ${r.background.perSecond.tupFetched.toFixed(0)} rows fetched/s.`]
      : [],
  );
}

export function formatScaleReport(results: ScaleResult[]): string {
  const errors = results.filter((r) => r.error).map((r) => `- ${r.args.tenants} × ${r.args.deals} × ${r.args.workers}: ${r.error}`);
  const linked = results.map((r) => `- ${r.args.tenants} × ${r.args.deals} × ${r.args.workers}: seeded in ${s(r.seedMs)} s; ${r.linked.tenantsComplete} of ${r.args.tenants} tenants fully linked after the initial sync (fewest links ${r.linked.minLinks}, fewest referrals ${r.linked.minReferrals}).`);
  return [
    markdownTable(PHASE_HEADER, phaseRows(results), 3), '', 'Rows per table at the end:', '', rowsTable(results), '',
    'Background load:', '', ...backgroundLines(results), '', 'Linked:', '', ...linked, ...(errors.length ? ['', 'Errors:', '', ...errors] : []),
  ].join('\n');
}

export function writeScaleResults(results: ScaleResult[], startedAt: Date): string {
  const dir = fileURLToPath(new URL('../results/scale/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stem = `${dir}${startedAt.toISOString().replace(/[:.]/g, '-')}`;
  const machine = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 1024 ** 3) };
  writeFileSync(`${stem}.json`, `${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine, method: SCALE_NOTES, results }, null, 2)}\n`);
  writeFileSync(`${stem}.md`, `${formatScaleReport(results)}\n\n${SCALE_NOTES.map((n) => `- ${n}`).join('\n')}\n`);
  return `${stem}.json`;
}
