/**
 * Row ids kept sorted by a numeric key (a row version, a `modifiedon` instant), ties by id: binary search
 * to find, splice to insert or remove. A write moves one entry; a read of "everything after k" is a
 * search plus a slice, not a scan and a sort of the whole table.
 */
export class SortedKeys {
  private readonly keys: number[] = [];
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  add(key: number, id: string): void {
    const at = this.lowerBound(key, id);
    this.keys.splice(at, 0, key);
    this.ids.splice(at, 0, id);
  }

  delete(key: number, id: string): void {
    const at = this.lowerBound(key, id);
    if (this.keys[at] === key && this.ids[at] === id) {
      this.keys.splice(at, 1);
      this.ids.splice(at, 1);
    }
  }

  /** Ids whose key is above `key` (or at it, with `inclusive`), in key order, at most `limit` of them. */
  above(key: number, inclusive: boolean, limit = Infinity): string[] {
    const start = inclusive ? this.firstAtLeast(key) : this.firstAbove(key);
    return this.ids.slice(start, limit === Infinity ? undefined : start + limit);
  }

  /** Ids whose key is below `key` (or at it, with `inclusive`), in key order. */
  below(key: number, inclusive: boolean): string[] {
    return this.ids.slice(0, inclusive ? this.firstAbove(key) : this.firstAtLeast(key));
  }

  /** The first position whose (key, id) is not before (key, id). */
  private lowerBound(key: number, id: string): number {
    return this.firstWhere((i) => this.keys[i]! > key || (this.keys[i] === key && this.ids[i]! >= id));
  }

  private firstAtLeast(key: number): number {
    return this.firstWhere((i) => this.keys[i]! >= key);
  }

  private firstAbove(key: number): number {
    return this.firstWhere((i) => this.keys[i]! > key);
  }

  /** Binary search: the first position where `holds` is true, given it stays true from there on. */
  private firstWhere(holds: (i: number) => boolean): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (holds(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
