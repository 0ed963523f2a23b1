/**
 * The benchmark's side of the engine host: compiles it with tsc as the CLI is compiled (tsconfig.engine.json,
 * into dist-bench/, apart from the CLI's dist/), forks it with plain node (no TypeScript loader in the measured process) and forwards its
 * device-code prompt to the sandbox host's Entra sandbox.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startChildHost, type ChildHost } from './child-host.js';
import type { DeviceCodeEvent, EngineReplies, EngineRequest } from './engine-protocol.js';
import type { SandboxHost } from './sandbox-client.js';

export type EngineHost = ChildHost<EngineRequest, EngineReplies>;

const root = fileURLToPath(new URL('../', import.meta.url));

/** Compiles the engine host and the engine into dist/; throws with tsc's exit code when it fails (tsc prints why). */
export function compileEngineHost(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'bench/tsconfig.engine.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -p bench/tsconfig.engine.json failed (exit ${result.status})`);
}

export async function startEngineHost(sandboxes: SandboxHost): Promise<EngineHost> {
  // BENCH_ENGINE_DIST names another compiled tree (a copy of dist-bench/) to run, for comparing two codes in turn.
  const dist = process.env.BENCH_ENGINE_DIST ?? fileURLToPath(new URL('../dist-bench/', import.meta.url));
  return startChildHost<EngineRequest, EngineReplies>(`${dist.replace(/\/$/, '')}/bench/engine-host.js`, {
    // BENCH_ENGINE_NODE_ARGS (space-separated) adds Node flags to the engine, e.g. `--heap-prof` to profile it.
    execArgv: (process.env.BENCH_ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean),
    // BENCH_ENGINE_EXEC_PATH runs the engine host through a wrapper (e.g. a script that execs valgrind on node).
    ...(process.env.BENCH_ENGINE_EXEC_PATH ? { execPath: process.env.BENCH_ENGINE_EXEC_PATH } : {}),
    onEvent: (event) => {
      if (event.event === 'deviceCode') void sandboxes.request({ op: 'approve', userCode: (event as unknown as DeviceCodeEvent).userCode });
    },
  });
}
