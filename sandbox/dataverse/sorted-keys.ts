/**
 * Row ids kept sorted by a numeric key (a row version, a `modifiedon` instant), ties by id: a write moves
 * one entry (sorted-chunks.ts: one chunk spliced, not the whole table), and a read of "everything after
 * k" is a search plus a slice, not a scan and a sort of the whole table.
 */
import { SortedChunks } from '../common/sorted-chunks.js';

interface Entry {
  key: number;
  id: string;
}

const before = (a: Entry, b: Entry): boolean => a.key < b.key || (a.key === b.key && a.id < b.id);

export class SortedKeys {
  private readonly entries = new SortedChunks<Entry>(before);

  get size(): number {
    return this.entries.size;
  }

  add(key: number, id: string): void {
    this.entries.insert({ key, id });
  }

  delete(key: number, id: string): void {
    this.entries.remove({ key, id }, (stored) => stored.key === key && stored.id === id);
  }

  /** Ids whose key is above `key` (or at it, with `inclusive`), in key order, at most `limit` of them. */
  above(key: number, inclusive: boolean, limit = Infinity): string[] {
    const start = this.entries.rank(inclusive ? (e) => e.key >= key : (e) => e.key > key);
    return this.entries.slice(start, limit === Infinity ? undefined : start + limit).map((e) => e.id);
  }

  /** Ids whose key is below `key` (or at it, with `inclusive`), in key order. */
  below(key: number, inclusive: boolean): string[] {
    return this.entries.slice(0, this.entries.rank(inclusive ? (e) => e.key > key : (e) => e.key >= key)).map((e) => e.id);
  }
}
