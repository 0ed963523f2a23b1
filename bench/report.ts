/** The benchmark's output: a table on stdout and every figure as JSON in bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from './scenario.js';
import { SEEDING_DESCRIPTION } from './seed.js';

export const METHOD_NOTES = [
  ...SEEDING_DESCRIPTION,
  'Steady: one sync run with nothing changed. 1%: N/100 CRM deals, evenly spread, edited by a seller (notes, through the seller console) and N/100 other, open referrals edited in Partner Center (notes, by a user of our partner org; closed ones are locked); synced until a run writes nothing.',
  'The sandboxes run in a child process: engine CPU and RSS are the engine process only (sync engine, HTTP clients, SQLite state store); sandbox CPU/RSS are reported separately.',
  'Calls are counted by the sandboxes and reported as the services bill them (billing.ts): a Salesforce composite or sObject Collections request and a Dataverse $batch are one call each, their subrequests are not calls; token requests are counted apart (tokenCalls in the JSON). Wall time includes the sandboxes\' work on the same 2-core machine.',
  'Both processes run node --expose-gc and collect the heap at the start of each phase, so a phase\'s peak RSS does not include the previous phase\'s garbage.',
];

const HEADER = ['CRM', 'N', 'seeding', 'phase', 'runs', 'wall s', 'PC calls', 'CRM calls', 'engine CPU s', 'engine peak RSS MB', 'sandbox CPU s', 'sandbox peak RSS MB'];

export function tableRows(results: ScenarioResult[]): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    for (const p of r.phases) {
      rows.push([
        r.crm, String(r.size), r.seeding, p.phase + (p.outcome === 'ok' ? '' : ` (${p.outcome.split(':')[0]})`), String(p.runs), (p.wallMs / 1000).toFixed(1),
        String(p.partnerCenterCalls), String(p.crmCalls), (p.engineCpuMs / 1000).toFixed(1), String(p.enginePeakRssMb),
        (p.sandbox.sandboxCpuMs / 1000).toFixed(1), String(p.sandbox.sandboxPeakRssMb),
      ]);
    }
    if (r.error) rows.push([r.crm, String(r.size), r.seeding, r.error.split('\n')[0]?.slice(0, 90) ?? '', '', '', '', '', '', '', '', '']);
  }
  return rows;
}

/** A Markdown table, readable on a terminal and pasteable into the README. */
export function formatTable(results: ScenarioResult[]): string {
  const rows = [HEADER, ...tableRows(results)];
  const widths = HEADER.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c >= 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ')} |`;
  return [line(HEADER), `|${widths.map((w, c) => (c >= 4 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export function writeResults(results: ScenarioResult[], startedAt: Date): string {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 1024 ** 3) };
  writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine, method: METHOD_NOTES, results }, null, 2)}\n`);
  return file;
}
