/**
 * A service manager may stop `cosell run` or `cosell serve` at any moment, also in the first second while
 * the CLI is still loading, opening its store or starting the service. Nothing has started then and no
 * lock is held: the stop must be a clean exit 0, not a death by the signal (a crash to the service manager)
 * nor a signal swallowed (the old `run` went on syncing after a SIGTERM that came while its store opened).
 * The moments: test/helpers/stop-moments.ts.
 */
import assert from 'node:assert/strict';
import { startCliWorld, waitFor, type CliChild, type CliWorld } from '../helpers/cli.js';
import { allClean, START_MOMENTS, stopAt } from '../helpers/stop-moments.js';

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
      for (const moment of [...START_MOMENTS, { name: 'SIGTERM once it says it started', signal: 'SIGTERM' as const, wait: (child: CliChild) => waitFor(() => started.test(child.output().stdout), 60_000, 'the start line') }]) {
        outcomes.push(await stopAt(world.startCli([...args], moment.env), moment));
        // A holder killed above is taken over by the next start (its process is gone).
        if (world.runtime.store.lockHolder()) outcomes.push(`${moment.name}: the lock is still held`);
      }
      assert.deepEqual(outcomes, allClean(outcomes));
    });
  }
});
