/**
 * A sorted list kept in chunks of at most {@link MAX_CHUNK} items, for the sandboxes' ordered indexes
 * (Dataverse row versions and `modifiedon`, Salesforce SystemModstamp). One flat sorted array costs a
 * splice of the whole table on every write that moves a row (an update deletes its old key and inserts
 * its new one), which is O(N) per write and O(N²) for an initial sync of N rows; here a write splices
 * one chunk, and finding a position is a binary search over the chunks' last items and then inside one
 * chunk. Reads by position (`rank`, `slice`) walk the chunk lengths: O(N / MAX_CHUNK).
 */
import { chunks } from '../../core/chunks.js';

/** Large enough that a 50,000-row table has about a hundred chunks, small enough that a splice is cheap. */
const MAX_CHUNK = 512;

export class SortedChunks<T> {
  private chunks: T[][] = [];
  private count = 0;

  /** `before(a, b)`: whether `a` sorts strictly before `b` (a strict total order on the items). */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.count;
  }

  /** Replaces the contents with `items`, in any order (a sort, not one insert per item). */
  fill(items: T[]): void {
    items.sort((a, b) => (this.before(a, b) ? -1 : this.before(b, a) ? 1 : 0));
    this.chunks = chunks(items, MAX_CHUNK >> 1);
    this.count = items.length;
  }

  insert(item: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.count = 1;
      return;
    }
    // The first chunk whose last item is not before `item`, or the last chunk when `item` goes at the end.
    const c = Math.min(this.firstChunk((last) => !this.before(last, item)), this.chunks.length - 1);
    const chunk = this.chunks[c]!;
    chunk.splice(firstIn(chunk, (x) => !this.before(x, item)), 0, item);
    this.count += 1;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(chunk.length >> 1));
  }

  /** Removes the item that sorts where `probe` does and for which `same` holds; false when there is none. */
  remove(probe: T, same: (stored: T) => boolean): boolean {
    const c = this.firstChunk((last) => !this.before(last, probe));
    const chunk = this.chunks[c];
    if (!chunk) return false;
    const at = firstIn(chunk, (x) => !this.before(x, probe));
    if (at >= chunk.length || !same(chunk[at]!)) return false;
    chunk.splice(at, 1);
    this.count -= 1;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** How many items come before the first one for which `holds` is true (`holds` must stay true from there on). */
  rank(holds: (item: T) => boolean): number {
    const c = this.firstChunk(holds);
    let n = 0;
    for (let i = 0; i < c; i += 1) n += this.chunks[i]!.length;
    const chunk = this.chunks[c];
    return chunk ? n + firstIn(chunk, holds) : n;
  }

  /** The items at positions [from, to), in order. */
  slice(from: number, to: number = this.count): T[] {
    const out: T[] = [];
    let offset = 0;
    for (const chunk of this.chunks) {
      if (offset >= to) break;
      const end = offset + chunk.length;
      if (end > from) out.push(...chunk.slice(Math.max(0, from - offset), Math.min(chunk.length, to - offset)));
      offset = end;
    }
    return out;
  }

  /** The first chunk whose last item satisfies `holds`, or the number of chunks when none does. */
  private firstChunk(holds: (item: T) => boolean): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (holds(chunk[chunk.length - 1]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Binary search: the first position in `items` where `holds` is true, given it stays true from there on. */
function firstIn<T>(items: readonly T[], holds: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
