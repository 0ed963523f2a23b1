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
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = this.keys[mid]!;
      if (k < key || (k === key && this.ids[mid]! < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private firstAtLeast(key: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private firstAbove(key: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
