/**
 * The moments at which the start-up stop tests send SIGTERM or Ctrl-C to the real binary, and what each
 * stop came to. The earliest moment is the first at which the CLI can listen for a signal at all: a signal
 * during Node's own start, before the first line of JavaScript runs (half a second or more on a loaded
 * machine), ends any Node program by the signal, whatever it does. It is found in Node's own loader trace
 * (NODE_DEBUG=esm): bin/cosell.js's first import has run once its body asks the loader for the CLI
 * (core/cli/main.js), a few milliseconds after Node could first run anything of it. The later moments are
 * measured from spawn (the CLI's modules load, the store or database opens, the service starts).
 */
import type { CliChild } from './cli.js';

export type StopMoment = { name: string; signal: NodeJS.Signals; env?: NodeJS.ProcessEnv; wait(child: CliChild): Promise<void> };

export const afterSpawn = (ms: number, signal: NodeJS.Signals = 'SIGTERM'): StopMoment => ({ name: `${signal} ${ms} ms after spawn`, signal, wait: () => new Promise((resolve) => setTimeout(resolve, ms)) });

export const asSoonAsItRuns = (signal: NodeJS.Signals): StopMoment => ({
  name: `${signal} as soon as bin/cosell.js runs`,
  signal,
  env: { NODE_DEBUG: 'esm' },
  // bin/cosell.js's body runs (its imports, early-stop.js first, have): it asks for the CLI.
  wait: (child) => new Promise((resolve) => {
    const seen = () => /Storing \S*core\/cli\/main\.[jt]s/.test(child.output().stderr);
    const check = () => seen() && (child.child.stderr!.off('data', check), resolve());
    child.child.stderr!.on('data', check);
    child.child.once('exit', () => resolve());
  }),
});

export const START_MOMENTS: StopMoment[] = [
  asSoonAsItRuns('SIGTERM'),
  asSoonAsItRuns('SIGINT'),
  afterSpawn(900),
  afterSpawn(1_300, 'SIGINT'),
  afterSpawn(1_800),
  afterSpawn(2_500),
  afterSpawn(3_500),
  afterSpawn(5_000),
];

/**
 * Sends the moment's signal and says how the process ended: `NAME: code 0 signal null` for a clean stop,
 * else the code or signal with what it wrote to stderr (the loader trace left out). Kills what still runs.
 */
export async function stopAt(child: CliChild, moment: StopMoment): Promise<string> {
  try {
    await moment.wait(child);
    child.child.kill(moment.signal);
    const result = await Promise.race([child.done, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
    if (result === 'still running') return `${moment.name}: still running 30 s later`;
    const said = result.code === 0 ? '' : `\n${result.stderr.split('\n').filter((line) => !/^(ESM |\s|\})/.test(line)).join('\n')}`;
    return `${moment.name}: code ${result.code} signal ${result.signal}${said}`;
  } finally {
    child.child.kill('SIGKILL');
    await child.done;
  }
}

/** The outcomes as they read when every stop was clean. */
export const allClean = (outcomes: readonly string[]): string[] => outcomes.map((line) => line.replace(/: .*$/s, ': code 0 signal null'));
