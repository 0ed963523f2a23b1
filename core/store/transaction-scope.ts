/**
 * Guards the asynchronous stores' transactions against two programming mistakes that would otherwise
 * deadlock or silently write outside the transaction:
 * - calling the store itself (not `tx`) from inside a transaction's work: on SQLite it would wait for the
 *   transaction that waits for it; on PostgreSQL it would run on another connection, outside the
 *   transaction, and block on the rows the transaction holds;
 * - keeping `tx` and using it after the transaction ended, when its writes would no longer be atomic.
 *
 * The marking is an AsyncLocalStorage, which on Node 20 works through async_hooks: once one has run, every
 * promise the process makes calls four promise hooks, for the rest of the process's life (an `await` costs
 * about 3× as much). The engine is made of awaits (each store call, each HTTP request through axios), so the
 * storage is switched off (`disable()`, which turns the hooks off when no other storage uses them) whenever
 * no transaction of this store is open: the hooks run only inside transactions, which are short store-only
 * steps (bench/README.md, "Engine CPU per changed record").
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ConnectorError } from '../errors.js';

export class TransactionScope {
  private readonly current = new AsyncLocalStorage<object>();
  /** Transactions of this store running now (PostgreSQL can run several at once, on separate connections). */
  private running = 0;

  /** Runs `work` marked as inside a transaction of this store. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await this.current.run({}, work);
    } finally {
      this.running -= 1;
      // Leaves the marks of ended transactions behind (getStore() is undefined until the next run).
      if (this.running === 0) this.current.disable();
    }
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
