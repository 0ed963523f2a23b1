/**
 * The benchmark's side of the sandbox host: forks `sandbox-host.ts` compiled into dist-bench/ (by
 * compileHosts, compiled-hosts.ts, which the benchmark runs first) with plain node, as the shipped
 * `cosell sandbox` runs, and sends it requests, one promise per reply.
 */
import { startChildHost, type ChildHost } from './child-host.js';
import { sandboxHostLaunch } from './compiled-hosts.js';
import type { HostReplies, HostRequest } from './protocol.js';

export type SandboxHost = ChildHost<HostRequest, HostReplies>;

export async function startSandboxHost(): Promise<SandboxHost> {
  // BENCH_SANDBOX_NODE_ARGS (space-separated) adds Node flags to the host, e.g. `--cpu-prof` to profile it.
  const { modulePath, execArgv } = sandboxHostLaunch(process.env);
  return startChildHost<HostRequest, HostReplies>(modulePath, { execArgv });
}
