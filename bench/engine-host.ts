/**
 * The engine host: a child process running the sync engine as it ships (compiled by tsc into dist-bench/, run
 * by plain node, as bin/cosell.js runs it), driven over IPC by the benchmark (engine-client.ts). It
 * measures itself: CPU time per run and per phase, and peak RSS sampled every 25 ms.
 */
import { writeHeapSnapshot } from 'node:v8';
import { openEngineWorld, type EngineWorld } from './engine-world.js';
import { serveParent } from './child-host.js';
import type { DeviceCodeEvent, EngineReplies, EngineRequest } from './engine-protocol.js';
import { collectHeap, RssSampler } from './rss-sampler.js';
import { profiledRun } from './run-profiler.js';
import { probeEngine } from './soak-probe.js';
import { limitHeapGrowth } from '../core/heap-growth.js';
import { tuneTiering } from '../core/v8-tiering.js';

// As the CLI does at start (core/cli/main.ts), so that the figures are those of the engine as shipped.
limitHeapGrowth();
tuneTiering();

const sampler = new RssSampler();
let world: EngineWorld | undefined;
let phaseCpu = process.cpuUsage();

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const cpu = process.cpuUsage(start);
  return Math.round((cpu.user + cpu.system) / 1000);
};

function opened(): EngineWorld {
  if (!world) throw new Error('the engine host was not opened');
  return world;
}

async function handle(request: EngineRequest): Promise<EngineReplies[EngineRequest['op']]> {
  switch (request.op) {
    case 'open':
      world = await openEngineWorld(request.config, (userCode) => process.send?.({ event: 'deviceCode', userCode } satisfies DeviceCodeEvent), request.logFile);
      return true;
    case 'startPhase':
      // Start from a collected heap so that one phase's garbage does not count against the next.
      collectHeap();
      sampler.restart();
      phaseCpu = process.cpuUsage();
      return true;
    case 'sync': {
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      const signal = request.stopAt === undefined ? undefined : AbortSignal.timeout(Math.max(0, request.stopAt - Date.now()));
      const report = await profiledRun(() => opened().sync(signal));
      return { report, wallMs: Math.round(performance.now() - started), cpuMs: cpuMsSince(cpuStart) };
    }
    case 'turn': {
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      const report = await opened().turn();
      return { ...(report ? { report } : {}), wallMs: Math.round(performance.now() - started), cpuMs: cpuMsSince(cpuStart) };
    }
    case 'probe':
      return probeEngine(opened().runtime.config.store.path);
    case 'heapSnapshot':
      collectHeap();
      return writeHeapSnapshot(request.file);
    case 'endPhase': {
      const { heapTotal, external } = sampler.peakHeapTotalAndExternalMb();
      const phase = { cpuMs: cpuMsSince(phaseCpu), peakRssMb: sampler.peakMb(), peakHeapUsedMb: sampler.peakHeapMb(), peakHeapTotalMb: heapTotal, peakExternalMb: external };
      sampler.stop();
      return phase;
    }
    case 'advanceClock':
      opened().advanceClock(request.ms);
      return true;
    case 'close':
      sampler.stop();
      world?.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

serveParent(handle);
