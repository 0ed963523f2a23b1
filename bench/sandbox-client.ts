/**
 * The benchmark's side of the sandbox host: forks `sandbox-host.ts` (through tsx, as the rest of the
 * project runs) and sends it requests, one promise per reply.
 */
import { fileURLToPath } from 'node:url';
import { startChildHost, type ChildHost } from './child-host.js';
import type { HostReplies, HostRequest } from './protocol.js';

export type SandboxHost = ChildHost<HostRequest, HostReplies>;

export async function startSandboxHost(): Promise<SandboxHost> {
  return startChildHost<HostRequest, HostReplies>(fileURLToPath(new URL('./sandbox-host.ts', import.meta.url)), {
    // BENCH_SANDBOX_NODE_ARGS (space-separated) adds Node flags to the host, e.g. `--cpu-prof` to profile it.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SANDBOX_NODE_ARGS ?? '').split(' ').filter(Boolean)],
  });
}
