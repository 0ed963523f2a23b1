-- PostgreSQL migration 6: what the job queue's workers and scheduler share about each tenant's work, and
-- the per-organisation API budgets every worker draws from (docs/scale-out.md). PostgreSQL only: a single
-- install has one process and no queue.

-- Why a tenant should be woken, kept here rather than in the job: pg-boss's stately queue holds at most one
-- waiting job per tenant, so a request that arrives while one waits or runs is absorbed by it, and the job
-- reads here what it has to do (a cycle wanted after the one the latest finished cycle was for).
CREATE TABLE tenant_work (
  tenant_id        TEXT COLLATE "C" PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  -- The latest schedule occurrence (or manual request) that wants a full cycle.
  cycle_wanted_at  TIMESTAMPTZ,
  -- The cycle_wanted_at the latest cycle that finished was run for: a cycle is wanted while this is older.
  -- A cycle whose worker died never sets it, so the retried job runs the cycle again.
  cycle_done_for   TIMESTAMPTZ,
  cycle_started_at TIMESTAMPTZ,
  cycle_ended_at   TIMESTAMPTZ,
  -- The outcome of the latest cycle (ok, failed: reason), for `cosell status --tenant`.
  last_outcome     TEXT,
  last_woken_at    TIMESTAMPTZ
);

-- One row per API budget (scope: pc:<organisation>, sf:<org>, dv:<environment>): calls used in the
-- current window, and a pause every worker honours after a 429 or 503 with Retry-After.
CREATE TABLE rate_budgets (
  scope         TEXT COLLATE "C" PRIMARY KEY,
  window_start  TIMESTAMPTZ NOT NULL,
  used          INTEGER NOT NULL DEFAULT 0,
  blocked_until TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);
