/**
 * Per-run profiling of the engine host, for finding where a phase's engine CPU goes:
 * - `BENCH_ENGINE_PROFILE_RUNS=<folder>`: one V8 CPU profile per sync run, `<folder>/run-<n>.cpuprofile`
 *   (`--cpu-prof` gives one profile for the whole process, in which a 1% cycle's runs are a thin slice).
 *   V8 samples on wall time: a run preempted by the sandboxes on this 2-core machine shows the preempted
 *   frame, so compare these with the CPU seconds below, not with wall time.
 * - `BENCH_ENGINE_RUN_LOG=<file>`: one JSON line per run with its CLOCK_MONOTONIC start and end (ns, the
 *   clock `perf record -k CLOCK_MONOTONIC` stamps samples with, to slice a `perf` profile by run) and its
 *   user and system CPU microseconds.
 * Runs are numbered in the order they happened (the bench's progress lines say which phase each belongs to).
 */
import { Session } from 'node:inspector/promises';
import fs from 'node:fs';
import path from 'node:path';

const folder = process.env.BENCH_ENGINE_PROFILE_RUNS;
const runLog = process.env.BENCH_ENGINE_RUN_LOG;
let session: Session | undefined;
let runs = 0;

async function startProfiler(): Promise<Session> {
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
  }
  await session.post('Profiler.start');
  return session;
}

/** Runs `work` under the profiler and the run log when they are asked for; otherwise just runs it. */
export async function profiledRun<T>(work: () => Promise<T>): Promise<T> {
  if (!folder && !runLog) return work();
  const profiler = folder ? await startProfiler() : undefined;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  try {
    return await work();
  } finally {
    const used = process.cpuUsage(cpu);
    const ended = process.hrtime.bigint();
    runs += 1;
    if (runLog) fs.appendFileSync(runLog, `${JSON.stringify({ run: runs, startNs: String(started), endNs: String(ended), userUs: used.user, systemUs: used.system })}\n`);
    if (profiler && folder) {
      const { profile } = await profiler.post('Profiler.stop');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, `run-${runs}.cpuprofile`), JSON.stringify(profile));
    }
  }
}
