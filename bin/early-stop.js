// A SIGTERM or Ctrl-C that comes while the CLI loads (before any command runs: a second or more on a slow
// machine) is held here, not fatal. Without a listener Node ends the process by the signal, which a service
// manager reads as a crash, although nothing had started. The command takes the held signal over when it
// begins (core/cli/held-stop.ts): a command that stops cleanly does so, any other ends by it as it always did.
// Plain JavaScript, imported first by bin/cosell.js: the earliest line of the program. A signal during Node's
// own start, before that line, still ends the process by the signal: nothing in a Node program can catch it.
import process from 'node:process';

const SIGNALS = ['SIGTERM', 'SIGINT'];
let held;
const hold = (signal) => {
  // A second signal while still loading: the person or supervisor means it; end as the signal would.
  if (held) process.exit(signal === 'SIGINT' ? 130 : 143);
  held = signal;
};
for (const signal of SIGNALS) process.on(signal, hold);

// Read by core/cli/held-stop.ts through the global symbol registry: the compiled CLI cannot import bin/.
globalThis[Symbol.for('cosell.heldStop')] = () => {
  for (const signal of SIGNALS) process.off(signal, hold);
  const signal = held;
  held = undefined;
  return signal;
};
