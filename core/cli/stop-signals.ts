/**
 * SIGTERM and SIGINT for long commands: the first asks for a clean stop (the run finishes its current
 * page, commits and releases the lock); a second one, for a stop that hangs, ends the process at once
 * after `onForce` (which must be synchronous: release the lock, close the store).
 */
export interface StopHandlers {
  graceful(signal: NodeJS.Signals): void;
  onForce?(): void;
}

export function onStopSignals(handlers: StopHandlers): () => void {
  let asked = false;
  const listener = (signal: NodeJS.Signals) => {
    if (!asked) {
      asked = true;
      handlers.graceful(signal);
      return;
    }
    try {
      handlers.onForce?.();
    } finally {
      // 128 + the signal's number, as shells report a process ended by a signal.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.on('SIGTERM', listener);
  process.on('SIGINT', listener);
  return () => {
    process.off('SIGTERM', listener);
    process.off('SIGINT', listener);
  };
}

/** Resolves once the first SIGTERM or Ctrl-C has run `stop` (a second signal ends the process at once). */
export function untilStopSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const off = onStopSignals({
      graceful: () => {
        off();
        void stop().then(resolve, resolve);
      },
    });
  });
}
