/**
 * The benchmark's side of the sandbox host: forks `sandbox-host.ts` (through tsx, as the rest of the
 * project runs) and sends it requests, one promise per reply.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostMessage, HostReplies, HostRequest } from './protocol.js';

export interface SandboxHost {
  request<R extends HostRequest>(request: R): Promise<HostReplies[R['op']]>;
  close(): Promise<void>;
}

export async function startSandboxHost(): Promise<SandboxHost> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./sandbox-host.ts', import.meta.url)), [], {
    // BENCH_SANDBOX_NODE_ARGS (space-separated) adds Node flags to the host, e.g. `--cpu-prof` to profile it.
    execArgv: ['--expose-gc', '--import', 'tsx', ...(process.env.BENCH_SANDBOX_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: HostMessage) => {
      if (message.id === 0) return resolve();
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(`sandbox host: ${message.error}`));
    });
    child.once('exit', (code) => {
      exited = true;
      const error = new Error(`sandbox host exited (code ${code})`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  await ready;

  const request = <R extends HostRequest>(req: R): Promise<HostReplies[R['op']]> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error('sandbox host has exited'));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request: req });
    });

  return {
    request,
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await request({ op: 'close' }).catch(() => undefined);
      // A host that does not exit in 10 s is stopped, so that the benchmark always terminates.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
