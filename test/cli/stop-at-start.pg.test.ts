/**
 * `cosell serve --database` and `cosell worker` stopped at any moment of their start (a service manager's
 * stop, a deploy that changes its mind): while the CLI loads, while the PostgreSQL database is migrated,
 * while pg-boss creates its schema and queues, while the service or the worker starts, and once it says it
 * runs. Each stop must be a clean exit 0, neither a death by the signal (a crash to the service manager) nor
 * a signal swallowed, and must leave nothing behind: no runner lock, no job leased, a database that opens at
 * the latest schema version. Until 2026-12-07 both ended by the signal when it came before they listened for
 * it (only `run` and plain `serve` took a stop held while loading: stop-at-start.test.ts).
 *
 * Each start gets a new database, so that the stop can land on a migration under way.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openPgDatabase } from '../../core/store/pg/pg-database.js';
import { readPgMigrations } from '../../core/store/pg/pg-migrate.js';
import { startCosell, waitFor, type CliChild } from '../helpers/cli.js';
import { createThrowawayDatabase } from '../helpers/pg-database.js';
import { allClean, START_MOMENTS, stopAt, type StopMoment } from '../helpers/stop-moments.js';

const LATEST = readPgMigrations().at(-1)!.version;

/** What a stopped start left in its database; empty when nothing. */
async function leftBehind(url: string): Promise<string[]> {
  const db = await openPgDatabase({ connectionString: url, maxConnections: 1 });
  try {
    const left: string[] = [];
    if (db.version !== LATEST) left.push(`schema version ${db.version}, not ${LATEST}`);
    const locks = await db.pool.query('SELECT tenant_id, owner FROM runner_locks');
    if (locks.rowCount) left.push(`runner locks ${JSON.stringify(locks.rows)}`);
    const boss = await db.pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'");
    if (boss.rowCount) {
      const active = await db.pool.query("SELECT id, name FROM pgboss.job WHERE state = 'active'");
      if (active.rowCount) left.push(`jobs leased ${JSON.stringify(active.rows)}`);
    }
    return left;
  } finally {
    await db.close();
  }
}

const COMMANDS = [
  { command: 'serve --database', args: ['serve', '--database', 'env:COSELL_DATABASE_URL', '--port', '0'], started: /Listening on http/ },
  { command: 'worker', args: ['worker', '--tick-seconds', '1', '--maintenance-seconds', '1'], started: /taking tenant jobs/ },
] as const;

describe('SIGTERM or Ctrl-C while cosell serve --database / worker start (the real binary, PostgreSQL)', function () {
  this.timeout(600_000);
  const masterKey = randomBytes(32).toString('base64');

  for (const { command, args, started } of COMMANDS) {
    it(`cosell ${command} exits 0 (not by the signal) whenever the stop comes, and leaves no lock, lease or half-migrated database`, async () => {
      const saysStarted: StopMoment = {
        name: 'SIGTERM once it says it started',
        signal: 'SIGTERM',
        wait: (child: CliChild) => waitFor(() => started.test(child.output().stdout + child.output().stderr), 60_000, 'the start line'),
      };
      const outcomes: string[] = [];
      for (const moment of [...START_MOMENTS, saysStarted]) {
        const database = await createThrowawayDatabase();
        try {
          const env = { ...moment.env, COSELL_DATABASE_URL: database.url, COSELL_MASTER_KEY: masterKey, COSELL_LOG_LEVEL: 'warn' };
          outcomes.push(await stopAt(startCosell([...args], { env }), moment));
          for (const what of await leftBehind(database.url)) outcomes.push(`${moment.name}: left ${what}`);
        } finally {
          await database.drop();
        }
      }
      assert.deepEqual(outcomes, allClean(outcomes));
    });
  }
});
