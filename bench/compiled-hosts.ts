/**
 * Both benchmark hosts run compiled, as `bin/cosell.js` runs `dist/`: tsc (tsconfig.hosts.json, the CLI's
 * build options) compiles the engine host and the sandbox host, with everything they import, into
 * dist-bench/, and they are forked with plain node. Through the tsx loader instead, the sandbox host paid
 * per call for the loader's work (it names every function created in hot functions: ~10% of a Partner
 * Center create's sandbox CPU in a profile), which the shipped `cosell sandbox` does not pay.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The compiled tree the benchmark runs its hosts from. */
export const benchDist = fileURLToPath(new URL('../dist-bench/', import.meta.url));

/** Compiles both hosts into dist-bench/; throws with tsc's exit code when it fails (tsc prints why). */
export function compileHosts(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'bench/tsconfig.hosts.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -p bench/tsconfig.hosts.json failed (exit ${result.status})`);
}

/** Node flags from a space-separated environment variable (BENCH_ENGINE_NODE_ARGS, BENCH_SANDBOX_NODE_ARGS). */
export function nodeArgsFrom(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

/** How the sandbox host is forked: its compiled module and Node flags (no TypeScript loader). */
export function sandboxHostLaunch(env: NodeJS.ProcessEnv): { modulePath: string; execArgv: string[] } {
  return { modulePath: `${benchDist}bench/sandbox-host.js`, execArgv: nodeArgsFrom(env.BENCH_SANDBOX_NODE_ARGS) };
}
