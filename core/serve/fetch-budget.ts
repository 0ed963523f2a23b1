/**
 * How many certificate URLs not fetched before may be fetched in a sliding minute. Anyone can post a
 * webhook delivery naming any URL on the allow-listed host, and a fresh query string makes a URL the
 * cache has never seen: without a budget each forged post is one outbound request (up to 10 s each,
 * as many at once as posts arrive). Partner Center signs with one certificate at one URL, cached for an
 * hour, so the budget is never reached by its own deliveries.
 */
export class FetchBudget {
  private readonly spentAtMs: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly nowMs: () => number,
  ) {}

  /** Spends one fetch if the last minute has room for it; false when it has none. */
  take(): boolean {
    const now = this.nowMs();
    while (this.spentAtMs.length > 0 && now - this.spentAtMs[0]! >= 60_000) this.spentAtMs.shift();
    if (this.spentAtMs.length >= this.perMinute) return false;
    this.spentAtMs.push(now);
    return true;
  }
}
