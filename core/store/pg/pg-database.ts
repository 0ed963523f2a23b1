/**
 * A connection pool to the PostgreSQL database that holds every tenant's state, migrated on open. The
 * pool reads `json` columns as their text and 64-bit integers as numbers, so rows have exactly the shape
 * of the SQLite store's rows and share its row mapping (sqlite-rows.ts): one definition of how a record
 * is stored, whichever database holds it.
 */
import pg from 'pg';
import { ConnectorError } from '../../errors.js';
import { StateStoreError } from '../store-problems.js';
import { tellUpgrade } from '../upgrade-notice.js';
import { applyPgMigrations } from './pg-migrate.js';

const JSON_OID = 114;
const INT8_OID = 20;

/** Type parsers for this store's pools only (never pg's global defaults, which other code may rely on). */
const storeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === JSON_OID) return (value: string) => value;
    // Ids and epoch milliseconds stay far below 2^53.
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PgDatabase {
  readonly pool: pg.Pool;
  /** The schema version after migrations. */
  readonly version: number;
  close(): Promise<void>;
}

export interface PgDatabaseOptions {
  /** postgres://user@host:port/database (it may hold a password: never logged or shown). */
  connectionString: string;
  /** Most connections this process opens (each worker's concurrency needs one per running transaction). */
  maxConnections?: number;
}

/** Connects, migrates, and returns the pool; an unreachable server is an error that says what was tried. */
export async function openPgDatabase(options: PgDatabaseOptions): Promise<PgDatabase> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10, types: storeTypes });
  // An idle client that loses its server emits 'error' on the pool; without a listener Node would exit.
  pool.on('error', () => undefined);
  try {
    const version = await applyPgMigrations(pool, undefined, (from, to) =>
      tellUpgrade(`Upgraded the PostgreSQL database ${describeDatabase(options.connectionString)} from schema version ${from} to ${to}.`),
    );
    return { pool, version, close: () => pool.end() };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw explainPgFailure(error, options.connectionString);
  }
}

/** The server, never the password: `postgres://user@host:port/db`. */
export function describeDatabase(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `postgres://${url.username ? `${url.username}@` : ''}${url.host}${url.pathname}`;
  } catch {
    return '(an unparseable PostgreSQL URL)';
  }
}

/** Connection failures name the server (without credentials) and the fix; anything else passes through. */
export function explainPgFailure(error: unknown, connectionString: string): unknown {
  if (error instanceof ConnectorError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const where = describeDatabase(connectionString);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    return new StateStoreError('store.pg_unreachable', `PostgreSQL at ${where} cannot be reached (${String(code)}). Start the server, or point the database URL at a running one.`, where, { cause: error });
  }
  if (code === '3D000') {
    return new StateStoreError('store.pg_no_database', `The PostgreSQL database of ${where} does not exist. Create it (createdb), then try again.`, where, { cause: error });
  }
  if (code === '28P01' || code === '28000') {
    return new StateStoreError('store.pg_auth', `PostgreSQL at ${where} refused the sign-in. Check the user and its password reference.`, where, { cause: error });
  }
  return error;
}
