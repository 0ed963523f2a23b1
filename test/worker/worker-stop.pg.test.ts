/**
 * `cosell worker` stopped the moment it says it takes jobs (a supervisor's restart, a deploy script that
 * waits for that line): until 2026-12-06 the stop listener came after the line, and a SIGTERM sent on it
 * ended the process by Node's default (killed by the signal) instead of stopping the worker cleanly.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startCosell } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';

describe('cosell worker stopped as soon as it takes jobs (PostgreSQL)', function () {
  this.timeout(120_000);
  const database = useThrowawayPgDatabase();

  it('stops cleanly with 0 on a SIGTERM sent on its "taking tenant jobs" line', async () => {
    const { child, done } = startCosell(['worker', '--tick-seconds', '1', '--maintenance-seconds', '1'], {
      env: { COSELL_DATABASE_URL: database().url, COSELL_MASTER_KEY: randomBytes(32).toString('base64'), COSELL_LOG_LEVEL: 'warn' },
    });
    // Sent from the read itself, with nothing in between: the moment a supervisor could send it.
    child.stderr!.on('data', (chunk: string) => {
      if (chunk.includes('taking tenant jobs')) child.kill('SIGTERM');
    });
    const { code, signal, stderr: said } = await done;
    assert.ok(said.includes('taking tenant jobs'), said);
    assert.deepEqual([code, signal], [0, null], said);
  });
});
