/**
 * The state database held by another program (an sqlite3 shell with an open transaction, a backup tool
 * that locks the file). `cosell sync --once` failed with "SqliteError: database is locked" and exit 1, and
 * `cosell status` could not even read (opening took the write lock to check the schema version).
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { startCliWorld, waitFor, type CliWorld } from '../helpers/cli.js';

const count = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line)).length;

describe('the state database held by another program (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  let holder: Database.Database | undefined;

  before(async () => {
    world = await startCliWorld('salesforce');
    await world.seller.createDeal(dealSpec('Busy store'));
    await world.syncToQuiet();
  });
  afterEach(() => {
    if (holder?.inTransaction) holder.exec('ROLLBACK');
    holder?.close();
    holder = undefined;
  });
  after(async () => world?.close());

  /** Another program takes the write lock and keeps it. */
  function holdWriteLock(): void {
    holder = new Database(world.runtime.config.store.path);
    holder.exec('BEGIN EXCLUSIVE');
  }

  it('cosell status still reads it', async () => {
    holdWriteLock();
    const result = await world.cli(['status', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok((JSON.parse(result.stdout) as { runs: unknown[] }).runs.length > 0);
  });

  it('cosell sync --once names the file and what to do, with exit 6 (try again), and the next run after the lock goes works', async () => {
    holdWriteLock();
    const refused = await world.cli(['sync', '--once']);
    assert.equal(refused.code, 6, `${refused.stdout}\n${refused.stderr}`);
    assert.match(refused.stderr, /The state database \S+ is busy: another program has held its write lock for as long as the connector waits/);
    assert.match(refused.stderr, /It is not a cosell sync/);
    assert.doesNotMatch(refused.stderr, /SqliteError/);
    holder!.exec('ROLLBACK');
    const next = await world.cli(['sync', '--once']);
    assert.equal(next.code, 0, next.stderr);
  });

  it('cosell run tells a lasting store problem once, keeps its turns, and says when it is gone', async () => {
    // Until 2026-12-06 a store problem thrown out of a turn (busy, a full disk) was printed in full at every
    // turn, while a failed run's problem was told once (turn-problems.ts).
    holdWriteLock();
    const run = world.startCli(['run', '--interval', '0.01']);
    try {
      await waitFor(() => count(run.output().stderr, /^FAILED .*the same problem as reported above/) >= 2, 90_000, 'two more busy turns');
      const during = run.output().stderr;
      assert.equal(count(during, /^cosell: The state database \S+ is busy/), 1, `told in full once:\n${during}`);
      holder!.exec('ROLLBACK');
      // The Resolved line is written before the turn's own OK line, each in its own write: wait for both.
      await waitFor(() => /^Resolved: the problem reported at \S+ is gone.*\n(?:.*\n)*OK /m.test(run.output().stdout), 60_000, 'the problem said gone, then a run that worked');
      assert.match(run.output().stdout, /^Resolved: .*\nOK /m, 'the run that worked follows the Resolved line');
    } finally {
      run.child.kill('SIGTERM');
    }
    assert.equal((await run.done).code, 0);
  });
});
