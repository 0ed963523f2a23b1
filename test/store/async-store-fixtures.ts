/**
 * What the asynchronous store contract needs from each implementation: fresh, empty state per test for
 * two tenants, and a second connection to the same state (another worker).
 */
import assert from 'node:assert/strict';
import { ConnectorError } from '../../core/errors.js';
import type { AsyncStateStore } from '../../core/store/async-state-store.js';

export interface ContractWorld {
  /** Tenant `a`'s store (the one most tests use). */
  store: AsyncStateStore;
  /** Another connection to tenant `a`'s state, as a second worker would have. */
  secondConnection: AsyncStateStore;
  /** Tenant `b`'s store in the same database (SQLite: its own file, as a single install has). */
  otherTenant: AsyncStateStore;
}

/** Fresh state for one test; `cleanup` closes what it opened. */
export type OpenContractWorld = () => Promise<ContractWorld & { cleanup(): Promise<void> }>;

/** Asserts that `work` rejects with the store error `code`. */
export async function rejectsWithCode(work: () => Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof ConnectorError, `expected a ConnectorError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

/** Lets other pending work run, so that two transactions really interleave. */
export function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
