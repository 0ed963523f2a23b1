/**
 * Guards the asynchronous stores' transactions against two programming mistakes that would otherwise
 * deadlock or silently write outside the transaction:
 * - calling the store itself (not `tx`) from inside a transaction's work: on SQLite it would wait for the
 *   transaction that waits for it; on PostgreSQL it would run on another connection, outside the
 *   transaction, and block on the rows the transaction holds;
 * - keeping `tx` and using it after the transaction ended, when its writes would no longer be atomic.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ConnectorError } from '../errors.js';

export class TransactionScope {
  private readonly current = new AsyncLocalStorage<object>();

  /** Runs `work` marked as inside a transaction of this store. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.current.run({}, work);
  }

  /** Throws when called from inside a transaction of this store. */
  assertOutside(method: string): void {
    if (this.current.getStore() === undefined) return;
    throw new ConnectorError(
      'store.nested_call',
      `The state store was called directly (${method}) inside one of its own transactions; use the transaction's tx inside it, or call the store after it ends.`,
    );
  }
}

/** The error for a transaction object used after its transaction committed or rolled back. */
export function transactionEndedError(method: string): ConnectorError {
  return new ConnectorError('store.transaction_ended', `A transaction's tx was used (${method}) after the transaction ended; that write would not be part of it.`);
}
