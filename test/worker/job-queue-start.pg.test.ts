/**
 * Starting the job queue (PostgreSQL, real pg-boss): workers that start together on a new database all
 * start, and one that cannot start leaves nothing open behind it (or its process would never end).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { openJobQueue } from '../../core/worker/job-queue.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';

describe('starting the job queue (PostgreSQL, pg-boss)', function () {
  this.timeout(60_000);
  const database = useThrowawayPgDatabase();

  it('starts every worker of several that start together on a new database', async () => {
    const { db, url } = database();
    // Each schema is a new pg-boss install: three workers race to create its queue.
    for (const schema of ['together_a', 'together_b', 'together_c']) {
      const opened = await Promise.allSettled([1, 2, 3].map(() => openJobQueue({ connectionString: url, pool: db.pool, schema })));
      const failed = opened.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
      for (const o of opened) if (o.status === 'fulfilled') await o.value.stop(1_000);
      assert.deepEqual(failed, [], `${schema}: workers that could not start`);
    }
  });

  it('closes pg-boss again when the queue cannot be set up', async () => {
    const { db, url } = database();
    // pg-boss names its connections (application_name 'pgboss'); the tests above stopped theirs.
    const others = async () => Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgboss'")).rows[0]!.n);
    // The test above stopped its queues; their connections close shortly after (counted here once gone).
    const settled = async () => {
      let open = await others();
      for (let i = 0; i < 50 && open > 0; i += 1) {
        await sleep(100);
        open = await others();
      }
      return open;
    };
    assert.equal(await settled(), 0, 'the queues stopped above closed their connections');
    // pg-boss refuses a lease under one second when it creates the queue, after it has started.
    await assert.rejects(openJobQueue({ connectionString: url, pool: db.pool, schema: 'refused', leaseSeconds: 0 }), /expireInSeconds/);
    assert.equal(await settled(), 0, 'connections pg-boss left open');
  });
});
