/**
 * A stop asked while `cosell` starts. bin/early-stop.js holds a SIGTERM or Ctrl-C that comes while the CLI
 * loads; when a command begins, the held signal is handed to it (`releaseHeldStop`), and a command that
 * stops cleanly listens from its first line (`startupStop`), so it takes that signal and any that comes while
 * it opens its store or starts its service, and ends with its clean stop's code. A service manager that stops
 * `cosell run` or `cosell serve` in its first second saw it die by the signal (a crash), or, while the
 * store opened, saw the signal swallowed and the run go on (test/cli/stop-at-start.test.ts).
 */
import { onStopSignals } from './stop-signals.js';

const HELD_STOP = Symbol.for('cosell.heldStop');

/** A held signal handed to the command, until a `startupStop` takes it. */
let handedOver: NodeJS.Signals | undefined;

/**
 * Ends the hold and hands a held signal to the command, if one came. A command that stops cleanly calls
 * `startupStop` on the first line of its action, in this same turn of the event loop, and takes it; for any
 * other the signal is raised again on the next turn, and it ends by it, as every command did before the hold.
 * (Raised again at once, it came while no listener was left, and Node's default ended the process.) No hold
 * when the CLI was not started by bin/cosell.js (a test importing main.ts).
 */
export function releaseHeldStop(): void {
  const take = (globalThis as Record<symbol, unknown>)[HELD_STOP];
  handedOver = typeof take === 'function' ? (take as () => NodeJS.Signals | undefined)() : undefined;
  if (!handedOver) return;
  setImmediate(() => {
    if (handedOver) process.kill(process.pid, handedOver);
  });
}

export interface StartupStop {
  /** Aborted by the first SIGTERM or Ctrl-C since the command began. */
  readonly signal: AbortSignal;
  /** The signal that asked for the stop, if one did. */
  asked(): NodeJS.Signals | undefined;
  /** Stops listening: the command's own stop handlers take over (install them first: no signal falls between). */
  end(): void;
}

/**
 * Listens for a stop while a command starts, before its own handlers can work (no runtime, no lock yet):
 * the first signal is noted for the command to act on when it can; a second ends the process at once
 * (nothing was started that needs releasing).
 */
export function startupStop(): StartupStop {
  const controller = new AbortController();
  let asked: NodeJS.Signals | undefined;
  const graceful = (signal: NodeJS.Signals) => {
    asked = signal;
    controller.abort(signal);
  };
  const end = onStopSignals({ graceful });
  if (handedOver) graceful(handedOver);
  handedOver = undefined;
  return { signal: controller.signal, asked: () => asked, end };
}
