/**
 * API budgets shared by every worker: Partner Center's, Salesforce's and Dataverse's limits are per
 * organisation, not per process, so each worker draws calls from one row per organisation in
 * `rate_budgets` (PostgreSQL migration 6). A grant is one conditional UPDATE: it succeeds only while the
 * window has room and no pause is in force, so concurrent workers never overdraw it and need no lock of
 * ours. A 429 or 503 with Retry-After pauses the budget for every worker of that organisation.
 */
import type pg from 'pg';

export interface BudgetLimit {
  /** Calls allowed per window. */
  calls: number;
  windowMs: number;
}

export type BudgetGrant = { granted: true; used: number } | { granted: false; retryAt: Date };

/** Takes `n` calls from `scope`'s budget now, or says when to ask again. */
export async function takeFromBudget(pool: pg.Pool, scope: string, n: number, limit: BudgetLimit, now: Date): Promise<BudgetGrant> {
  if (n > limit.calls) throw new RangeError(`${n} calls can never fit a budget of ${limit.calls} per window (${scope})`);
  const windowEnd = `window_start + ($4::double precision * interval '1 millisecond')`;
  const { rows } = await pool.query<{ used: number }>(
    `UPDATE rate_budgets SET
       used = CASE WHEN ${windowEnd} <= $2 THEN $3 ELSE used + $3 END,
       window_start = CASE WHEN ${windowEnd} <= $2 THEN $2 ELSE window_start END
     WHERE scope = $1 AND blocked_until <= $2 AND (${windowEnd} <= $2 OR used + $3 <= $5)
     RETURNING used`,
    [scope, now, n, limit.windowMs, limit.calls],
  );
  if (rows[0]) return { granted: true, used: rows[0].used };
  // Refused because of a pause, a full window, or both: whichever ends later. The scope's first grant finds no
  // row: it is created here, once, rather than before every grant (one statement per request, not two).
  const { rows: state } = await pool.query<{ retry_at: Date }>(
    `SELECT GREATEST(blocked_until, CASE WHEN ${windowEnd} > $2 AND used + $3 > $5 THEN ${windowEnd} ELSE $2 END) AS retry_at
     FROM rate_budgets WHERE scope = $1`,
    [scope, now, n, limit.windowMs, limit.calls],
  );
  if (!state[0]) {
    await pool.query('INSERT INTO rate_budgets (scope, window_start, used) VALUES ($1, $2, 0) ON CONFLICT (scope) DO NOTHING', [scope, now]);
    return takeFromBudget(pool, scope, n, limit, now);
  }
  // Room now: another worker created the row or a new window began between the two statements. Ask again
  // rather than refuse with a retry time that has already come.
  if (state[0].retry_at.getTime() <= now.getTime()) return takeFromBudget(pool, scope, n, limit, now);
  return { granted: false, retryAt: state[0].retry_at };
}

/** After a 429 or 503 with Retry-After: no worker takes from `scope` before `until`. */
export async function pauseBudget(pool: pg.Pool, scope: string, until: Date): Promise<void> {
  await pool.query(
    `INSERT INTO rate_budgets (scope, window_start, used, blocked_until) VALUES ($1, $2, 0, $2)
     ON CONFLICT (scope) DO UPDATE SET blocked_until = GREATEST(rate_budgets.blocked_until, EXCLUDED.blocked_until)`,
    [scope, until],
  );
}

/** Waits (with `sleep`) until `n` calls are granted from `scope`. */
export async function acquireFromBudget(pool: pg.Pool, scope: string, n: number, limit: BudgetLimit, clock: { now(): Date; sleep(ms: number): Promise<void> }): Promise<void> {
  for (;;) {
    const grant = await takeFromBudget(pool, scope, n, limit, clock.now());
    if (grant.granted) return;
    await clock.sleep(Math.max(1, grant.retryAt.getTime() - clock.now().getTime()));
  }
}
