/**
 * The benchmark's output: per phase and per run, each call count next to its minimum and the ratio, and
 * the CPU next to the floor (a bare loopback server answering the minimum calls). Written as JSON and as
 * a short Markdown file in bench/results/; `npm run bench:readme` puts the Markdown into README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PhaseResult } from './measure.js';
import type { ScenarioResult } from './scenario.js';
import { SEEDING_DESCRIPTION } from './seed.js';

export const METHOD_NOTES = [
  ...SEEDING_DESCRIPTION,
  'Idle: one sync run with nothing changed, right after the initial sync, again after the sandboxes\' and the engine\'s clocks move on 320 s (longer than every change feed\'s re-read window), and once more after that ("idle, settled": the run before it listed the bulk a last time, so this is what a daemon pays every cycle from then on). 1%: N/100 CRM deals, evenly spread, edited by a seller (notes, through the seller console) and N/100 other, open referrals edited in Partner Center (notes, by a user of our partner org; closed ones are locked); synced until a run writes nothing.',
  'The engine runs as shipped (compiled by tsc into dist-bench/, plain node) in its own process, and the sandboxes, compiled the same way, in another: engine CPU and RSS are the engine process only (sync engine, HTTP clients, SQLite state store); sandbox CPU/RSS are reported separately.',
  'Calls are counted by the sandboxes and reported as the services bill them (billing.ts): a Salesforce composite or sObject Collections request and a Dataverse $batch are one call each, their subrequests are not calls; token requests are counted apart (tokenCalls in the JSON). Each count is shown as "measured (minimum, ratio)"; the minimums are in minimums.ts.',
  'Floor: a bare loopback HTTP server and client in one process making the phase\'s minimum calls with the same records as JSON both ways (floor.ts), measured right after the phase; "CPU ÷ floor" is (engine + sandbox CPU) ÷ the floor\'s CPU, left out (—) when the floor is under 50 ms (timer noise).',
  'Both processes run node --expose-gc and collect the heap at the start of each phase, so a phase\'s peak RSS does not include the previous phase\'s garbage.',
];

const ratio = (measured: number, minimum: number | undefined) => (minimum ? `${(measured / minimum).toFixed(2)}×` : '—');
const withMinimum = (measured: number, minimum: number | undefined) => (minimum === undefined ? String(measured) : `${measured} (${minimum}, ${ratio(measured, minimum)})`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

function perRecordMs(p: PhaseResult): string {
  return p.records ? (p.engineCpuMs / p.records).toFixed(2) : '—';
}

/** Below this the floor is timer noise, too small to divide by. */
const MIN_FLOOR_MS = 50;

function cpuOverFloor(p: PhaseResult): string {
  if (!p.floor || p.floor.cpuMs < MIN_FLOOR_MS) return '—';
  return `${((p.engineCpuMs + p.sandbox.sandboxCpuMs) / p.floor.cpuMs).toFixed(1)}×`;
}

const PHASE_HEADER = [
  'CRM', 'N', 'seeding', 'phase', 'runs', 'wall s', 'PC calls (min, ×)', 'CRM calls (min, ×)', 'engine CPU s', 'engine ms / record',
  'sandbox CPU s', 'floor CPU s', 'CPU ÷ floor', 'engine peak RSS MB', 'sandbox peak RSS MB',
];

export function phaseRows(results: ScenarioResult[]): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    for (const p of r.phases) {
      rows.push([
        r.crm, String(r.size), r.seeding, p.phase + (p.outcome === 'ok' ? '' : ` (${p.outcome.split(':')[0]})`), String(p.runs), seconds(p.wallMs),
        withMinimum(p.partnerCenterCalls, p.minimum?.partnerCenter), withMinimum(p.crmCalls, p.minimum?.crm), seconds(p.engineCpuMs), perRecordMs(p),
        seconds(p.sandbox.sandboxCpuMs), p.floor ? (p.floor.cpuMs / 1000).toFixed(2) : '—', cpuOverFloor(p), String(p.enginePeakRssMb), String(p.sandbox.sandboxPeakRssMb),
      ]);
    }
    if (r.error) rows.push([r.crm, String(r.size), r.seeding, r.error.split('\n')[0]?.slice(0, 90) ?? '', ...PHASE_HEADER.slice(4).map(() => '')]);
  }
  return rows;
}

const RUN_HEADER = ['CRM', 'N', 'seeding', 'phase', 'run', 'writes', 'wall s', 'PC calls', 'CRM calls', 'engine CPU s', 'sandbox CPU s'];

export function runRows(results: ScenarioResult[]): string[][] {
  return results.flatMap((r) =>
    r.phases.flatMap((p) =>
      (p.perRun ?? []).map((run) => [r.crm, String(r.size), r.seeding, p.phase, String(run.run), String(run.writes), seconds(run.wallMs), String(run.partnerCenterCalls), String(run.crmCalls), seconds(run.engineCpuMs), seconds(run.sandboxCpuMs)]),
    ),
  );
}

/** A Markdown table, aligned so that it reads on a terminal too; columns from `firstNumeric` on are right-aligned. */
export function markdownTable(header: string[], body: string[][], firstNumeric = 4): string {
  const rows = [header, ...body];
  const widths = header.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c >= firstNumeric ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, c) => (c >= firstNumeric ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...body.map(line)].join('\n');
}

/** The phase table (what the README shows). */
export function formatTable(results: ScenarioResult[]): string {
  return markdownTable(PHASE_HEADER, phaseRows(results));
}

/** The short Markdown report: the phase table, then every run. */
export function formatReport(results: ScenarioResult[]): string {
  return [formatTable(results), '', 'Per run:', '', markdownTable(RUN_HEADER, runRows(results), 4)].join('\n');
}

/** Writes `<stamp>.json` (every figure) and `<stamp>.md` (the tables) to bench/results/; returns the JSON's path. */
export function writeResults(results: ScenarioResult[], startedAt: Date): string {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, startedAt.toISOString().replace(/[:.]/g, '-'));
  const machine = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 1024 ** 3) };
  writeFileSync(`${stem}.json`, `${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine, method: METHOD_NOTES, results }, null, 2)}\n`);
  writeFileSync(`${stem}.md`, `${formatReport(results)}\n`);
  return `${stem}.json`;
}
