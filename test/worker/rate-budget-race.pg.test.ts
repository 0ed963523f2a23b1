/**
 * A grant is a conditional UPDATE, and a refusal reads the row to say when to ask again. Another worker can
 * create the scope's row, or start a new window, between those two statements: the budget then had room,
 * and the taker must ask again rather than be refused with "retry now" (seen in CI: 25 concurrent takers
 * of a new scope, one refused with the window's start as its retry time).
 */
import assert from 'node:assert/strict';
import type pg from 'pg';
import { takeFromBudget } from '../../core/worker/rate-budget.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';

/** A pool whose first refusal read is preceded by another worker creating the scope's row. */
function withRowCreatedBeforeTheRead(pool: pg.Pool, scope: string, at: Date): pg.Pool {
  let done = false;
  const query = async (text: string, values?: unknown[]) => {
    if (!done && text.trimStart().startsWith('SELECT GREATEST')) {
      done = true;
      await pool.query('INSERT INTO rate_budgets (scope, window_start, used) VALUES ($1, $2, 0) ON CONFLICT (scope) DO NOTHING', [scope, at]);
    }
    return pool.query(text, values);
  };
  return { query } as unknown as pg.Pool;
}

describe('shared API budget: a row that appears between the grant and the refusal read (PostgreSQL)', function () {
  this.timeout(60_000);
  const database = useThrowawayPgDatabase();

  it('grants the call instead of refusing it with a retry time that has already come', async () => {
    const now = new Date('2026-12-05T10:00:00Z');
    const racing = withRowCreatedBeforeTheRead(database().db.pool, 'pc:org-race', now);
    const grant = await takeFromBudget(racing, 'pc:org-race', 1, { calls: 10, windowMs: 60_000 }, now);
    assert.deepEqual(grant, { granted: true, used: 1 });
  });
});
