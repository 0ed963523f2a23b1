/**
 * The in-memory store's transactions: an undo journal. Each change made inside a transaction records how
 * to reverse itself, and a throw replays the journal back to where that (possibly nested) transaction
 * began. Cost is proportional to what the transaction changed, not to the size of the store. Also the
 * small JSON-row helpers the store keeps its records with (records are JSON text, as SQLite keeps them).
 */
import { asyncTransactionError, isThenable } from './sqlite-errors.js';

export class UndoJournal {
  private readonly undo: Array<() => void> = [];
  private depth = 0;

  /** Runs `work` as one transaction: everything it changed through this journal is undone if it throws. */
  run<T>(work: () => T): T {
    const mark = this.undo.length;
    this.depth += 1;
    try {
      const result = work();
      if (isThenable(result)) throw asyncTransactionError();
      return result;
    } catch (error) {
      while (this.undo.length > mark) this.undo.pop()?.();
      throw error;
    } finally {
      this.depth -= 1;
      // The outermost commit: nothing can roll back any more.
      if (this.depth === 0) this.undo.length = 0;
    }
  }

  /**
   * Opens a transaction that may span awaits (the asynchronous wrapper, async-sqlite-store.ts): what is
   * changed until `commit` or `rollback` is journaled, and `rollback` undoes it.
   */
  begin(): { commit(): void; rollback(): void } {
    const mark = this.undo.length;
    this.depth += 1;
    let open = true;
    const end = () => {
      open = false;
      this.depth -= 1;
      if (this.depth === 0) this.undo.length = 0;
    };
    return {
      commit: () => {
        if (open) end();
      },
      rollback: () => {
        if (!open) return;
        while (this.undo.length > mark) this.undo.pop()?.();
        end();
      },
    };
  }

  /** Writes `map[k] = value`, journaling how to restore the previous entry (or its absence). */
  set<K, V>(map: Map<K, V>, k: K, value: V): void {
    this.entry(map, k);
    map.set(k, value);
  }

  remove<K, V>(map: Map<K, V>, k: K): void {
    if (!map.has(k)) return;
    this.entry(map, k);
    map.delete(k);
  }

  /** Outside a transaction every call is its own commit, so there is nothing to undo. */
  record(undo: () => void): void {
    if (this.depth > 0) this.undo.push(undo);
  }

  private entry<K, V>(map: Map<K, V>, k: K): void {
    if (this.depth === 0) return;
    if (map.has(k)) {
      const previous = map.get(k) as V;
      this.undo.push(() => map.set(k, previous));
    } else {
      this.undo.push(() => map.delete(k));
    }
  }
}

/** A composite key; NUL cannot occur in a CRM ID, referral ID or side name. */
export function key(first: string, second: string): string {
  return `${first}\u0000${second}`;
}

export function parse<T>(json: string | undefined): T | undefined {
  return json === undefined ? undefined : (JSON.parse(json) as T);
}

export function parseAll<T>(values: Iterable<string>): T[] {
  return Array.from(values, (json) => JSON.parse(json) as T);
}

/** Plain code-unit order: SQLite's BINARY collation gives the same order for the ASCII IDs and instants sorted here. */
export function compareText(a: string | undefined, b: string | undefined): number {
  const left = a ?? '';
  const right = b ?? '';
  return left < right ? -1 : left > right ? 1 : 0;
}
