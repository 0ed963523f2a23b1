/**
 * The soak: does the daemon stay healthy over many cycles? `npm run bench:soak -- [--crm salesforce|dynamics]
 * [--deals 200] [--cycles 500] [--max-changes 3] [--interval-minutes 5] [--random-seed 1] [--snapshots 100,500]
 * [--log FILE] [--no-compile]`.
 *
 * Seeds N outbound deals in the sandboxes, syncs them, then plays K turns of `cosell run` as it ships (the
 * engine host keeps one runtime open across turns and runs each under the runner lock, with its heartbeat
 * and the notifications step, logging at info to a file): before each turn a small random load (0 to
 * --max-changes seller edits through the seller console, as many Partner Center changes through the sandbox's
 * service), and the sandboxes' and engine's clocks move on one interval. After each turn it records the
 * engine's heap after a forced full collection (and its code space), RSS, active handles by kind, open file
 * descriptors, the state store's files and rows per table, the turn's CPU and its calls on each side
 * (soak-probe.ts), and it prints the trend of each (soak-summary.ts). A measuring script like the benchmark: it asserts nothing. Figures go to
 * bench/results/soak-<timestamp>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seeded } from '../sandbox/common/faults.js';
import type { CrmKind } from '../sandbox/world.js';
import { compileHosts } from './compiled-hosts.js';
import { startEngineHost, type EngineHost } from './engine-client.js';
import type { SandboxHost } from './sandbox-client.js';
import { startSandboxHost } from './sandbox-client.js';
import { formatSummary, type SoakCycle } from './soak-summary.js';

const { values } = parseArgs({
  options: {
    crm: { type: 'string', default: 'salesforce' },
    deals: { type: 'string', default: '200' },
    cycles: { type: 'string', default: '500' },
    'max-changes': { type: 'string', default: '3' },
    'interval-minutes': { type: 'string', default: '5' },
    'random-seed': { type: 'string', default: '1' },
    'no-compile': { type: 'boolean', default: false },
    snapshots: { type: 'string', default: '' },
    log: { type: 'string' },
  },
});
const crm = values.crm as CrmKind;
if (crm !== 'salesforce' && crm !== 'dynamics') throw new Error('--crm is salesforce or dynamics');
const deals = Number(values.deals);
const cycles = Number(values.cycles);
const maxChanges = Number(values['max-changes']);
const intervalMs = Number(values['interval-minutes']) * 60_000;
if (![deals, cycles, maxChanges, intervalMs].every((n) => Number.isFinite(n) && n >= 0) || deals < 1 || cycles < 1) throw new Error('--deals, --cycles, --max-changes and --interval-minutes take positive numbers');

/** --snapshots 100,500: the cycles after which the engine writes a heap snapshot (to compare what grew between them). */
const snapshotCycles = new Set(values.snapshots.split(',').filter(Boolean).map(Number));
// Seeded (mulberry32), so that a soak's change load can be played again.
const random = seeded(Number(values['random-seed']));
const upTo = (n: number) => Math.floor(random() * (n + 1));

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const progress = (line: string) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function advanceBoth(host: SandboxHost, engine: EngineHost, ms: number): Promise<void> {
  await host.request({ op: 'advanceClock', ms });
  await engine.request({ op: 'advanceClock', ms });
}

/** One cycle: half an interval, the random changes (people work between turns), the other half, the turn, the probe. */
async function playCycle(host: SandboxHost, engine: EngineHost, cycle: number): Promise<SoakCycle> {
  await advanceBoth(host, engine, Math.floor(intervalMs / 2));
  const note = `Soak cycle ${cycle}`;
  // CRM edits pick from the first half of the deals, Partner Center changes from the second (spread's offset).
  const wanted = upTo(maxChanges);
  const crmEdits = wanted === 0 ? 0 : (await host.request({ op: 'editCrm', kind: crm, count: wanted, offset: random() * 0.45, note })).edited;
  const pcWanted = upTo(maxChanges);
  const pcChanges = pcWanted === 0 ? 0 : await host.request({ op: 'changePartnerCenter', count: pcWanted, offset: 0.5 + random() * 0.45, note });
  await advanceBoth(host, engine, intervalMs - Math.floor(intervalMs / 2));
  const before = await host.request({ op: 'measure' });
  const turn = await engine.request({ op: 'turn' });
  const after = await host.request({ op: 'measure' });
  const report = turn.report;
  const outcome = !report ? 'skipped' : report.outcome === 'ok' ? 'ok' : `${report.outcome}: ${report.message ?? ''}`;
  return {
    cycle,
    crmEdits,
    pcChanges,
    outcome,
    writes: report?.writes ?? 0,
    engineCpuMs: turn.cpuMs,
    wallMs: turn.wallMs,
    pcCalls: after.partnerCenter.total - before.partnerCenter.total,
    crmCalls: after.crm.total - before.crm.total,
    probe: await engine.request({ op: 'probe' }),
  };
}

function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  if (!values['no-compile']) compileHosts();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  mkdirSync(resultsDir, { recursive: true });
  const host = await startSandboxHost();
  const dir = mkdtempSync(join(tmpdir(), `cosell-soak-${crm}-`));
  // --log FILE keeps the engine's log (info level) after the soak; by default it is written in the temporary folder.
  const logFile = values.log ?? join(dir, 'cosell.log');
  const engine = await startEngineHost(host);
  const played: SoakCycle[] = [];
  let error: string | undefined;
  try {
    await engine.request({ op: 'open', config: await host.request({ op: 'config', kind: crm, dir }), logFile });
    await host.request({ op: 'seed', kind: crm, count: deals, from: 'crm' });
    // The initial sync, as the daemon's first turns would do it (until a turn writes nothing).
    for (let turn = 1; turn <= 6; turn += 1) {
      const { report, cpuMs } = await engine.request({ op: 'turn' });
      progress(`initial turn ${turn}: ${report?.outcome ?? 'skipped'}, ${report?.writes ?? 0} writes, engine ${cpuMs} ms`);
      if (report?.outcome === 'ok' && report.writes === 0) break;
    }
    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      const figures = await playCycle(host, engine, cycle);
      played.push(figures);
      if (snapshotCycles.has(cycle)) progress(`heap snapshot: ${await engine.request({ op: 'heapSnapshot', file: join(resultsDir, `soak-${stamp}-cycle-${cycle}.heapsnapshot`) })}`);
      if (cycle % 50 === 0 || cycle === 1) {
        const p = figures.probe;
        progress(`cycle ${cycle}: heap ${p.heapUsedMb} MB after GC, RSS ${p.rssMb} MB, ${Object.values(p.handles).reduce((n, k) => n + k, 0)} handles, ${p.openFds} fds, store ${Math.round((p.storeBytes + p.walBytes) / 1024)} KB, ${figures.outcome}`);
      }
    }
  } catch (failure) {
    // An engine host that dies mid-soak is a finding too: what was measured up to there is still summarised.
    error = failure instanceof Error ? failure.message : String(failure);
    progress(`stopped: ${error}`);
  } finally {
    await engine.close();
    await host.close();
  }
  const logBytes = (() => {
    try {
      return statSync(logFile).size;
    } catch {
      return 0;
    }
  })();
  rmSync(dir, { recursive: true, force: true });
  const summary = formatSummary(played);
  const commit = headCommit();
  console.log(`# Soak: ${crm}, ${deals} deals, ${played.length} of ${cycles} cycles, up to ${maxChanges} changes a side a cycle, interval ${intervalMs / 60_000} min, commit ${commit}`);
  console.log(`\n${summary}\n\nEngine log written over the soak: ${Math.round(logBytes / 1024)} KB.${error ? `\nStopped early: ${error}` : ''}`);
  const file = join(resultsDir, `soak-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ crm, deals, cycles, maxChanges, intervalMs, randomSeed: Number(values['random-seed']), commit, startedAt, logBytes, error, played }, null, 1));
  console.log(`Figures: ${file}`);
  process.exitCode = error ? 1 : 0;
}

await main();
