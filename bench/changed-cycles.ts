/**
 * The 1%-changed cycle alone, repeated: `npx tsx bench/changed-cycles.ts [--crm salesforce|dynamics]
 * [--size N] [--cycles K] [--share 0.01] [--endpoints]`. Seeds N outbound deals, syncs them (initial sync, then past the
 * feeds' late-commit margins until an idle run costs one call a side), then plays K cycles of the bench's
 * 1% change (N × share CRM deals edited by a seller, as many other open referrals by a partner user, each
 * cycle a new note) and syncs each until a run writes nothing. Prints each cycle's engine CPU per changed
 * record and its calls (and the initial sync's engine CPU and calls, per run), and the median of the cycles after the first (V8 compiles the cycle's code in the
 * first one: the median is the steady state a daemon pays). The engine and the sandboxes run compiled, each in
 * its own process (engine-host.ts, sandbox-host.ts), as in `npm run bench`; they are compiled first unless
 * `--no-compile`.
 * `--endpoints` also prints each run's CRM requests and subrequests by endpoint (where a call count moved).
 * For comparing two codes: the median per record moves less than the full benchmark's single 1% phase,
 * and the calls of every cycle must be equal between them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CrmKind } from '../sandbox/world.js';
import { compileHosts } from './compiled-hosts.js';
import { startEngineHost } from './engine-client.js';
import { measurePhase } from './measure.js';
import { QUIET_PERIOD_MS } from './scenario.js';
import { startSandboxHost } from './sandbox-client.js';

const { values } = parseArgs({
  options: {
    crm: { type: 'string', default: 'salesforce' },
    size: { type: 'string', default: '3000' },
    cycles: { type: 'string', default: '6' },
    share: { type: 'string', default: '0.01' },
    'no-compile': { type: 'boolean', default: false },
    callgrind: { type: 'boolean', default: false },
    endpoints: { type: 'boolean', default: false },
  },
});
const crm = values.crm as CrmKind;
const size = Number(values.size);
const cycles = Number(values.cycles);
const count = Math.max(1, Math.round(size * Number(values.share)));

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** The endpoints whose counts moved between two snapshots, as `label n` pairs. */
const endpointDelta = (before: Record<string, number>, after: Record<string, number>) =>
  Object.entries(after).flatMap(([label, n]) => (n - (before[label] ?? 0) > 0 ? [`${label} ${n - (before[label] ?? 0)}`] : [])).join(', ');

async function main(): Promise<void> {
  if (!values['no-compile']) compileHosts();
  const host = await startSandboxHost();
  const dir = mkdtempSync(join(tmpdir(), `cosell-cycles-${crm}-`));
  const engine = await startEngineHost(host);
  try {
    await engine.request({ op: 'open', config: await host.request({ op: 'config', kind: crm, dir }) });
    await host.request({ op: 'seed', kind: crm, count: size, from: 'crm' });
    const initial = await measurePhase(host, engine, 'initial sync', 6);
    if (initial.outcome !== 'ok') throw new Error(`initial sync: ${initial.outcome}`);
    // The initial sync's own figures, per run (engine CPU, calls a side, writes): a change to the read or write
    // path shows in them before the cycles, and its calls must match between two codes as the cycles' do.
    const setupRuns = initial.perRun.map((r) => `${r.engineCpuMs} ms/${r.partnerCenterCalls} PC/${r.crmCalls} CRM/${r.writes} w`).join(', ');
    console.log(`initial sync: engine ${initial.engineCpuMs} ms, ${initial.partnerCenterCalls} PC/${initial.crmCalls} CRM calls; runs: ${setupRuns}`);
    const settle = async () => {
      // Past every feed's late-commit margin, then the run that settles it: each cycle starts as the
      // bench's 1% phase does, from an idle run that costs one call a side.
      for (let i = 0; i < 2; i += 1) {
        await host.request({ op: 'advanceClock', ms: QUIET_PERIOD_MS });
        await engine.request({ op: 'advanceClock', ms: QUIET_PERIOD_MS });
        await measurePhase(host, engine, 'settle', 2);
      }
    };
    // --callgrind: the engine host runs under `valgrind --tool=callgrind --instr-atstart=no` (through
    // BENCH_ENGINE_EXEC_PATH), and only the sync runs of cycles 2 to K are instrumented.
    const instrument = (on: boolean) => {
      if (values.callgrind && engine.pid) execFileSync('callgrind_control', ['-i', on ? 'on' : 'off', String(engine.pid)], { stdio: 'ignore' });
    };
    // The cycle's sync runs, until one writes nothing; only the runs are measured (and instrumented), not the
    // heap collection measurePhase starts a phase with.
    const cycleRuns = async (instrumented: boolean) => {
      const runs: { cpuMs: number; pc: number; crm: number; writes: number }[] = [];
      let before = await host.request({ op: 'measure' });
      for (let i = 0; i < 4; i += 1) {
        if (instrumented) instrument(true);
        const { report, cpuMs } = await engine.request({ op: 'sync' });
        if (instrumented) instrument(false);
        if (report.outcome !== 'ok') throw new Error(`a cycle's run failed: ${report.message ?? report.outcome}`);
        const after = await host.request({ op: 'measure' });
        runs.push({ cpuMs, pc: after.partnerCenter.total - before.partnerCenter.total, crm: after.crm.total - before.crm.total, writes: report.writes });
        // --endpoints: each run's CRM requests and subrequests by endpoint (what moved when a count moves).
        if (values.endpoints) console.log(`  run ${runs.length} CRM: ${endpointDelta(before.crm.byEndpoint, after.crm.byEndpoint)}`);
        before = after;
        if (report.writes === 0) break;
      }
      return { cpuMs: runs.reduce((n, r) => n + r.cpuMs, 0), runs };
    };
    const perRecord: number[] = [];
    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      await settle();
      const note = `Bench cycle ${cycle}`;
      // Each cycle its own deals on both sides (offsets stay apart so the two sides never share a deal).
      const offset = ((cycle - 1) * 0.13) % 0.45;
      const edited = await host.request({ op: 'editCrm', kind: crm, count, offset, note });
      const changed = await host.request({ op: 'changePartnerCenter', count, offset: offset + 0.5, note });
      const phase = await cycleRuns(cycle > 1);
      const records = edited.edited + changed;
      const ms = phase.cpuMs / records;
      if (cycle > 1) perRecord.push(ms);
      const runs = phase.runs.map((r) => `${r.cpuMs} ms/${r.pc} PC/${r.crm} CRM/${r.writes} w`).join(', ');
      console.log(`cycle ${cycle}: ${records} records, engine ${phase.cpuMs} ms = ${ms.toFixed(3)} ms/record; runs: ${runs}`);
    }
    console.log(`${crm} N=${size}: median engine ms per changed record over cycles 2-${cycles}: ${median(perRecord).toFixed(3)}`);
  } finally {
    await engine.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
