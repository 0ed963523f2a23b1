/**
 * A throwaway PostgreSQL database for one test file: created with a random name on the server at
 * 127.0.0.1:5432 (user postgres, trust auth; `COSELL_TEST_PG_URL` points elsewhere), dropped afterwards.
 * An unreachable server fails the tests with a message that says so: a suite that needs PostgreSQL
 * never skips silently.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPgDatabase, type PgDatabase } from '../../core/store/pg/pg-database.js';

export const TEST_PG_SERVER = process.env.COSELL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  name: string;
  /** The connection string of the throwaway database. */
  url: string;
  drop(): Promise<void>;
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_SERVER, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `These tests need PostgreSQL at ${TEST_PG_SERVER.replace(/:[^:@/]*@/, '@')} (user postgres, trust auth), and it cannot be reached: ${(error as Error).message}. ` +
        'Start it (for example: sudo pg_ctlcluster 15 main start), or set COSELL_TEST_PG_URL to a server where this user may create databases.',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `cosell_test_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_PG_SERVER);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE ends connections a failed test left open (PostgreSQL 13+).
    drop: () => onServer(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/**
 * Registers mocha hooks that create a throwaway database, open it migrated, and drop it after the
 * suite; returns a getter for the open database and the throwaway's URL.
 */
export function useThrowawayPgDatabase(): () => { db: PgDatabase; url: string } {
  let throwaway: ThrowawayDatabase | undefined;
  let db: PgDatabase | undefined;
  before(async () => {
    throwaway = await createThrowawayDatabase();
    db = await openPgDatabase({ connectionString: throwaway.url });
  });
  after(async () => {
    await db?.close();
    await throwaway?.drop();
  });
  return () => {
    if (!db || !throwaway) throw new Error('The throwaway PostgreSQL database is not open (its before hook failed).');
    return { db, url: throwaway.url };
  };
}
