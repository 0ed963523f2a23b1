/**
 * The database's load as PostgreSQL itself counts it (pg_stat_database for the throwaway database:
 * commits, rows inserted, updated, deleted, fetched), plus rows per table and the database's size. The
 * statistics include everything on the database — the tenants' state, `tenant_work`, and pg-boss's
 * queue and polling — since that is the load a deployment's database carries.
 */
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DbCounters {
  xactCommit: number;
  xactRollback: number;
  tupInserted: number;
  tupUpdated: number;
  tupDeleted: number;
  tupFetched: number;
  blksRead: number;
  blksHit: number;
}

export interface DbSnapshot {
  counters: DbCounters;
  sizeBytes: number;
  /** Exact row counts of the state tables and of pg-boss's job table. */
  rows: Record<string, number>;
}

/**
 * Backends report their counters when they go idle, at most once a second and otherwise after an idle
 * interval of up to 10 s (PostgreSQL 15 `PGSTAT_IDLE_INTERVAL`), so a snapshot waits that long first.
 */
export const STATS_SETTLE_MS = 11_000;

export async function snapshotDb(pool: pg.Pool, settleMs = STATS_SETTLE_MS): Promise<DbSnapshot> {
  await sleep(settleMs);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows: [stat] } = await client.query<Record<string, string>>(
      `SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched, blks_read, blks_hit, pg_database_size(datname) AS size
       FROM pg_stat_database WHERE datname = current_database()`,
    );
    const n = (key: string) => Number(stat?.[key] ?? 0);
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT schemaname AS schema, relname AS name FROM pg_stat_user_tables
       WHERE schemaname = 'public' OR (schemaname = 'pgboss' AND relname = 'job') ORDER BY schemaname, relname`,
    );
    const rows: Record<string, number> = {};
    for (const t of tables) {
      const { rows: [count] } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.schema}"."${t.name}"`);
      rows[t.schema === 'public' ? t.name : `${t.schema}.${t.name}`] = Number(count?.n ?? 0);
    }
    return {
      counters: {
        xactCommit: n('xact_commit'), xactRollback: n('xact_rollback'), tupInserted: n('tup_inserted'), tupUpdated: n('tup_updated'),
        tupDeleted: n('tup_deleted'), tupFetched: n('tup_fetched'), blksRead: n('blks_read'), blksHit: n('blks_hit'),
      },
      sizeBytes: n('size'),
      rows,
    };
  } finally {
    client.release();
  }
}

export function counterDelta(before: DbCounters, after: DbCounters): DbCounters {
  const out = {} as DbCounters;
  for (const key of Object.keys(after) as Array<keyof DbCounters>) out[key] = after[key] - before[key];
  return out;
}

export function perSecond(delta: DbCounters, seconds: number): DbCounters {
  const out = {} as DbCounters;
  for (const key of Object.keys(delta) as Array<keyof DbCounters>) out[key] = delta[key] / seconds;
  return out;
}
