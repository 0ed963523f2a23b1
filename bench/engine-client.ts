/**
 * The benchmark's side of the engine host: forks it compiled into dist-bench/ (by compileHosts,
 * compiled-hosts.ts, apart from the CLI's dist/) with plain node (no TypeScript loader in the measured
 * process) and forwards its device-code prompt to the sandbox host's Entra sandbox.
 */
import { startChildHost, type ChildHost } from './child-host.js';
import { benchDist, nodeArgsFrom } from './compiled-hosts.js';
import type { DeviceCodeEvent, EngineReplies, EngineRequest } from './engine-protocol.js';
import type { SandboxHost } from './sandbox-client.js';

export type EngineHost = ChildHost<EngineRequest, EngineReplies>;

export async function startEngineHost(sandboxes: SandboxHost): Promise<EngineHost> {
  // BENCH_ENGINE_DIST names another compiled tree (a copy of dist-bench/) to run, for comparing two codes in
  // turn; the sandbox host stays the current dist-bench/ one, so both codes meet the same sandboxes.
  const dist = process.env.BENCH_ENGINE_DIST ?? benchDist;
  return startChildHost<EngineRequest, EngineReplies>(`${dist.replace(/\/$/, '')}/bench/engine-host.js`, {
    // BENCH_ENGINE_NODE_ARGS (space-separated) adds Node flags to the engine, e.g. `--heap-prof` to profile it.
    execArgv: nodeArgsFrom(process.env.BENCH_ENGINE_NODE_ARGS),
    // BENCH_ENGINE_EXEC_PATH runs the engine host through a wrapper (e.g. a script that execs valgrind on node).
    ...(process.env.BENCH_ENGINE_EXEC_PATH ? { execPath: process.env.BENCH_ENGINE_EXEC_PATH } : {}),
    onEvent: (event) => {
      if (event.event === 'deviceCode') void sandboxes.request({ op: 'approve', userCode: (event as unknown as DeviceCodeEvent).userCode });
    },
  });
}
