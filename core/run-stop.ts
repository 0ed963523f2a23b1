/**
 * The stop of one run under a process that outlives it (each turn of `cosell run`, each tenant cycle of
 * `cosell worker`): aborted when the process's long-lived stop fires (SIGTERM, the worker shutting down) or
 * when the run aborts it itself (its runner lock was taken over), and detached from the long-lived stop when
 * the run ends.
 *
 * Not `AbortSignal.any([stop, own])`: Node 20 (20.20.2 measured) adds a weak reference to every signal `any`
 * makes to a set on each source signal and never takes it out (https://github.com/nodejs/node/issues/55351,
 * fixed in 22.12 and broken again in 24: https://github.com/nodejs/node/issues/62363). The process's stop
 * signal lives as long as the process, so it gained an entry per turn and per tenant cycle, for good:
 * about 45 bytes each (100,000 calls: 4.3 MB), a few MB a day for a worker cycling 1,000 tenants.
 */
export interface RunStop {
  /** What the run watches: aborted by the long-lived stop (with its reason) or by `abort`. */
  readonly signal: AbortSignal;
  /** Stops the run for a reason of its own (the long-lived stop is left alone). */
  abort(reason: unknown): void;
  /** Detaches from the long-lived stop; called once the run has ended. */
  release(): void;
}

export function runStop(longLived?: AbortSignal): RunStop {
  const own = new AbortController();
  const abort = (reason: unknown) => own.abort(reason);
  if (!longLived) return { signal: own.signal, abort, release: () => undefined };
  if (longLived.aborted) {
    own.abort(longLived.reason);
    return { signal: own.signal, abort, release: () => undefined };
  }
  const forward = () => own.abort(longLived.reason);
  longLived.addEventListener('abort', forward, { once: true });
  return { signal: own.signal, abort, release: () => longLived.removeEventListener('abort', forward) };
}
