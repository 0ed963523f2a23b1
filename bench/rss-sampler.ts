/**
 * Peak resident memory over a phase. `resourceUsage().maxRSS` is the peak over the whole process life,
 * so it cannot tell a later, smaller phase from an earlier one; sampling `rss` every 25 ms can.
 */
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = 25) {
    this.restart();
  }

  restart(): void {
    this.stop();
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    // Sampling must never keep the process alive.
    this.timer.unref();
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  peakMb(): number {
    this.sample();
    return Math.round(this.peak / 1024 / 1024);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Collects the heap, so that a phase's peak RSS does not include the last phase's garbage. Both the
 * benchmark (`npm run bench`) and its sandbox host (sandbox-client.ts) run node with --expose-gc;
 * without it the README's "collected between phases" would be untrue, so this refuses to go on.
 */
export function collectHeap(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the benchmark needs node --expose-gc: run it with `npm run bench`');
  gc();
}
