/**
 * When each referral still waiting for an answer is due to expire, as a min-heap on the due time: the
 * expiry that runs before every request takes the due ones off the top (O(log n) each) instead of
 * looking at every waiting referral. A referral taken off the top stays in `overdue` until a write
 * changes its due time or ends its wait, so one the rules still hold open (Microsoft's own copy still
 * open, say) is looked at again on the next request, as before.
 */
interface Entry {
  at: number;
  seq: number;
  id: string;
}

export class DueQueue {
  private readonly heap: Entry[] = [];
  /** The due time each waiting referral is scheduled at; heap entries with another time are stale. */
  private readonly scheduled = new Map<string, number>();
  /** Due and not yet settled, in the order they fell due. */
  private readonly overdue = new Set<string>();
  private seq = 0;

  /** Schedules `id` at `at` (epoch ms; -Infinity: due at once), or drops it when it waits no more. */
  schedule(id: string, at: number | undefined): void {
    if (at === undefined) {
      this.scheduled.delete(id);
      this.overdue.delete(id);
      return;
    }
    if (this.scheduled.get(id) === at) return;
    this.scheduled.set(id, at);
    this.overdue.delete(id);
    this.push({ at, seq: this.seq++, id });
  }

  /** Every id due at `now`, earliest first. */
  due(now: number): string[] {
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const { at, id } = this.pop();
      if (this.scheduled.get(id) === at) this.overdue.add(id);
    }
    return [...this.overdue];
  }

  get size(): number {
    return this.scheduled.size;
  }

  clear(): void {
    this.heap.length = 0;
    this.scheduled.clear();
    this.overdue.clear();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

/** Earlier due time first; among equal times, the one scheduled first. */
function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
