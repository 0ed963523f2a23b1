/**
 * A service manager may stop `cosell run` or `cosell serve` at any moment, also in the first second while
 * the CLI is still loading, opening its store or starting the service. Nothing has started then and no
 * lock is held: the stop must be a clean exit 0, not a death by the signal (a crash to the service manager)
 * nor a signal swallowed (the old `run` went on syncing after a SIGTERM that came while its store opened).
 *
 * The earliest moment is the first at which the CLI can listen for a signal at all: a signal during Node's
 * own start, before the first line of JavaScript runs (half a second or more on a loaded machine), ends any
 * Node program by the signal, whatever it does. The test finds that moment in Node's own loader trace
 * (NODE_DEBUG=esm): bin/cosell.js's first import has run once its body asks the loader for the CLI
 * (core/cli/main.js), a few milliseconds after Node could first run anything of it. It sends the signal
 * then, while the CLI's modules still load (a second and more), and at later moments measured from spawn.
 */
import assert from 'node:assert/strict';
import { startCliWorld, waitFor, type CliChild, type CliWorld } from '../helpers/cli.js';

type Moment = { name: string; signal: NodeJS.Signals; env?: NodeJS.ProcessEnv; wait(child: CliChild): Promise<void> };
const afterSpawn = (ms: number, signal: NodeJS.Signals = 'SIGTERM'): Moment => ({ name: `${signal} ${ms} ms after spawn`, signal, wait: () => new Promise((resolve) => setTimeout(resolve, ms)) });
const asSoonAsItRuns = (signal: NodeJS.Signals): Moment => ({
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
const MOMENTS: Moment[] = [
  asSoonAsItRuns('SIGTERM'),
  asSoonAsItRuns('SIGINT'),
  afterSpawn(900),
  afterSpawn(1_300, 'SIGINT'),
  afterSpawn(1_800),
  afterSpawn(2_500),
  afterSpawn(3_500),
  afterSpawn(5_000),
];

describe('SIGTERM or Ctrl-C while cosell run / serve start (the real binary)', function () {
  this.timeout(300_000);
  let world: CliWorld;
  before(async () => {
    world = await startCliWorld('salesforce');
  });
  after(async () => world?.close());

  for (const [command, args, started] of [
    ['run', ['run', '--interval', '5'], /Syncing every 5 minute/],
    ['serve', ['serve', '--port', '0'], /Listening on http/],
  ] as const) {
    it(`cosell ${command} exits 0 (not by the signal) whenever the stop comes, and leaves the lock free`, async () => {
      const outcomes: string[] = [];
      for (const moment of [...MOMENTS, { name: 'SIGTERM once it says it started', signal: 'SIGTERM' as const, wait: (child: CliChild) => waitFor(() => started.test(child.output().stdout), 60_000, 'the start line') }]) {
        const child = world.startCli([...args], moment.env);
        try {
          await moment.wait(child);
          child.child.kill(moment.signal);
          const result = await Promise.race([child.done, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
          outcomes.push(result === 'still running' ? `${moment.name}: still running 30 s later` : `${moment.name}: code ${result.code} signal ${result.signal}${result.code === 0 ? '' : `\n${result.stderr.split('\n').filter((line) => !/^(ESM |\s|\})/.test(line)).join('\n')}`}`);
        } finally {
          child.child.kill('SIGKILL');
          await child.done;
        }
        // A holder killed above is taken over by the next start (its process is gone).
        if (world.runtime.store.lockHolder()) outcomes.push(`${moment.name}: the lock is still held`);
      }
      assert.deepEqual(outcomes, outcomes.map((line) => line.replace(/: .*$/s, ': code 0 signal null')));
    });
  }
});
