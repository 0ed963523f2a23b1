/**
 * The engine's own CPU on the 1% cycle, in one process and without HTTP: `npx tsx bench/pair-path.ts [N]
 * [cycles]`. The fake CRM and Partner Center of the tests (test/helpers) behind the SQLite store on a
 * temporary file; N deals linked, then each cycle edits 1% of the deals in the CRM and as many referrals in
 * Partner Center and syncs until a run writes nothing (the fakes tell no echoes apart, so each record
 * written is decided again by the next run: more pairs per changed record than a real CRM's cycle). Prints the engine's CPU per changed record of each
 * cycle (the fakes' own work included: a structured clone per record read) and the median of cycles 2 to K,
 * and the calls both sides saw, which must be the same for two codes compared. `BENCH_ENGINE_PROFILE_RUNS=<folder>`
 * profiles the runs of cycles 2 to K (bench/run-profiler.ts), with nothing else in the process; so does
 * `PAIR_PATH_CALLGRIND=1` under callgrind (below).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSyncOnce } from '../core/engine/sync-engine.js';
import { silentLogger } from '../core/logger.js';
import { openSqliteStore } from '../core/store/index.js';
import { FakeCrm } from '../test/helpers/fake-crm.js';
import { FakePartnerCenter } from '../test/helpers/fake-partner-center.js';
import { outboundDeal } from '../test/helpers/referrals.js';
import { profiledRun } from './run-profiler.js';

const size = Number(process.argv[2] ?? 2000);
const cycles = Number(process.argv[3] ?? 8);
const share = Math.max(1, Math.round(size / 100));
let clock = Date.parse('2026-03-02T08:00:00.000Z');
const now = () => new Date(clock);
const crm = new FakeCrm(now, 200);
const pc = new FakePartnerCenter(now, 100);
const dir = mkdtempSync(join(tmpdir(), 'cosell-pair-path-'));
const store = openSqliteStore(join(dir, 'state.db'));
const logger = silentLogger();
// PAIR_PATH_CALLGRIND=1, with node run under `valgrind --tool=callgrind --instr-atstart=no`: only the sync runs
// of cycles 2 to K are instrumented (instruction counts: CPU time on a shared machine moves by 20%).
const instrument = (on: boolean) => {
  if (process.env.PAIR_PATH_CALLGRIND) execFileSync('callgrind_control', ['-i', on ? 'on' : 'off', String(process.pid)], { stdio: 'ignore' });
};
const sync = () => runSyncOnce({ crm, partnerCenter: pc, store, logger, now });
const draft = (i: number) => outboundDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, acceptedAt: undefined, dealName: `Deal ${i}` });

async function settle(profiled = false): Promise<{ cpuMs: number; runs: number }> {
  let cpuMs = 0;
  for (let runs = 1; runs <= 6; runs += 1) {
    clock += 60_000;
    const cpu = process.cpuUsage();
    if (profiled) instrument(true);
    const report = profiled ? await profiledRun(sync) : await sync();
    if (profiled) instrument(false);
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
    if (report.outcome !== 'ok') throw new Error(`run: ${report.outcome}`);
    const counts = report.counts as Record<string, number>;
    if (process.env.PAIR_PATH_COUNTS) console.log(JSON.stringify(counts));
    if (!counts.crmWritten && !counts.pcUpdated && !counts.pcCreated) return { cpuMs, runs };
  }
  return { cpuMs, runs: 6 };
}

async function main(): Promise<void> {
  for (let i = 0; i < size; i += 1) crm.add(draft(i));
  await settle();
  const ids = [...crm.records.keys()];
  const perRecord: number[] = [];
  for (let c = 1; c <= cycles; c += 1) {
    for (let i = 0; i < share; i += 1) {
      crm.edit(ids[(c * 7919 + i * 2) % ids.length]!, (o) => (o.referral.value = 1000 + c * 10 + i));
      const referralId = crm.records.get(ids[(c * 7919 + i * 2 + 1) % ids.length]!)!.status?.referralId;
      if (referralId) pc.actAs(referralId, (r) => ({ ...r, notes: `${r.notes ?? ''} cycle ${c}` }));
    }
    const { cpuMs, runs } = await settle(c > 1);
    const ms = cpuMs / (2 * share);
    perRecord.push(ms);
    console.log(`cycle ${c}: ${2 * share} records, ${runs} runs, ${cpuMs.toFixed(1)} ms = ${ms.toFixed(3)} ms/record; calls CRM ${JSON.stringify(crm.calls)} PC ${pc.calls}`);
  }
  const steady = perRecord.slice(1).sort((a, b) => a - b);
  console.log(`median ms/record over cycles 2-${cycles}: ${steady[Math.floor(steady.length / 2)]!.toFixed(3)}`);
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
