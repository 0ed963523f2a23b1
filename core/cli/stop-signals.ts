/**
 * SIGTERM and SIGINT for long commands: the first asks for a clean stop (the run finishes its current
 * page, commits and releases the lock); a second one, for a stop that hangs, ends the process at once
 * after `onForce` (which must be synchronous: release the lock, close the store).
 *
 * A supervisor does not send a second signal: Docker sends SIGKILL 10 s after its SIGTERM, systemd after
 * `TimeoutStopSec`. A page waiting on a call that hangs (a CRM that stopped answering waits up to its
 * timeout) was killed there with the lock still held. With `grace`, the first signal's stop may take that
 * long; then `grace.onOver` (synchronous) leaves the page uncommitted, as a kill would, but says so, marks
 * the run and releases the lock, and the process ends with the code it returns.
 */
export interface StopHandlers {
  graceful(signal: NodeJS.Signals): void;
  onForce?(): void;
  /** `ms` is read when the first signal comes (the settings in use then). */
  grace?: { ms(): number; onOver(signal: NodeJS.Signals): number };
}

/** 128 + the signal's number, as shells report a process ended by a signal. */
export const signalExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);

export function onStopSignals(handlers: StopHandlers): () => void {
  let asked = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const force = (signal: NodeJS.Signals) => {
    try {
      handlers.onForce?.();
    } finally {
      process.exit(signalExitCode(signal));
    }
  };
  const graceOver = (signal: NodeJS.Signals) => {
    let code = signalExitCode(signal);
    try {
      code = handlers.grace!.onOver(signal);
    } finally {
      process.exit(code);
    }
  };
  const listener = (signal: NodeJS.Signals) => {
    if (asked) return force(signal);
    asked = true;
    if (handlers.grace) {
      graceTimer = setTimeout(graceOver, handlers.grace.ms(), signal);
      // A stop that finishes in time ends the process by itself; the timer must not hold it open.
      graceTimer.unref();
    }
    handlers.graceful(signal);
  };
  process.on('SIGTERM', listener);
  process.on('SIGINT', listener);
  return () => {
    clearTimeout(graceTimer);
    process.off('SIGTERM', listener);
    process.off('SIGINT', listener);
  };
}

/**
 * Resolves once the first SIGTERM or Ctrl-C has run `stop` (a second signal ends the process at once).
 * `asked`: a stop that already came while the command started (held-stop.ts) runs `stop` now.
 */
export function untilStopSignal(stop: () => Promise<void>, asked?: NodeJS.Signals): Promise<void> {
  return new Promise<void>((resolve) => {
    const graceful = () => {
      off();
      void stop().then(resolve, resolve);
    };
    const off = onStopSignals({ graceful });
    if (asked) graceful();
  });
}
