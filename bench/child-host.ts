/**
 * A child process driven over IPC, one promise per request: the benchmark's sandbox host and its engine
 * host both answer `{ id, request }` with `{ id, ok, value | error }`, say `{ id: 0 }` when ready, and may
 * send events of their own (`{ event, ... }`, e.g. the engine's device-code prompt) at any time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { HostMessage } from './protocol.js';

export interface ChildHost<Req extends { op: string }, Replies extends Record<Req['op'], unknown>> {
  request<R extends Req>(request: R): Promise<Replies[R['op']]>;
  close(): Promise<void>;
  /** The child's process ID (for a profiler driven from outside, e.g. callgrind_control). */
  readonly pid: number | undefined;
}

export interface ChildHostOptions {
  /** Node flags of the child (after --expose-gc, which every host needs for its heap collections). */
  execArgv: string[];
  /** Another executable to run the child with (a wrapper that starts node under a profiler); node by default. */
  execPath?: string;
  /** Events the child sends on its own, outside any reply. */
  onEvent?: (event: { event: string } & Record<string, unknown>) => void;
}

export async function startChildHost<Req extends { op: string }, Replies extends Record<Req['op'], unknown>>(
  modulePath: string,
  options: ChildHostOptions,
): Promise<ChildHost<Req, Replies>> {
  const child: ChildProcess = fork(modulePath, [], {
    execArgv: ['--expose-gc', ...options.execArgv],
    ...(options.execPath ? { execPath: options.execPath } : {}),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const name = modulePath.split('/').pop() ?? modulePath;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: HostMessage | ({ event: string } & Record<string, unknown>)) => {
      if ('event' in message) return options.onEvent?.(message);
      if (message.id === 0) return resolve();
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(`${name}: ${message.error}`));
    });
    child.once('exit', (code) => {
      exited = true;
      const error = new Error(`${name} exited (code ${code})`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  await ready;

  const request = <R extends Req>(req: R): Promise<Replies[R['op']]> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`${name} has exited`));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request: req });
    });

  return {
    request,
    pid: child.pid,
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await request({ op: 'close' } as Req).catch(() => undefined);
      // A host that does not exit in 10 s is stopped, so that the benchmark always terminates.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** The child's side: answers each request with `handle`, and says it is ready. */
export function serveParent<Req extends { op: string }>(handle: (request: Req) => Promise<unknown>): void {
  process.on('message', (message: { id: number; request: Req }) => {
    handle(message.request).then(
      (value) => process.send?.({ id: message.id, ok: true, value } satisfies HostMessage),
      (error: unknown) => process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies HostMessage),
    );
  });
  // The parent going away (Ctrl-C, a crash) must not leave the host running.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ id: 0, ok: true, value: 'ready' } satisfies HostMessage);
}
