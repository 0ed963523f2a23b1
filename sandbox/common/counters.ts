/** Counts calls per endpoint label, so that tests and the benchmark can prove calls grow with pages, not records. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  hit(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }

  get(label: string): number {
    return this.counts.get(label) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }
}
