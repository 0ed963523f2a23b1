/**
 * Peak resident memory over a phase. `resourceUsage().maxRSS` is the peak over the whole process life,
 * so it cannot tell a later, smaller phase from an earlier one; sampling `rss` every 25 ms can.
 *
 * The sampler runs inside the measured process, so its own CPU is counted as the engine's or the
 * sandboxes': `process.memoryUsage()` walks V8's heap spaces and cost 3–6% of the sandbox host's main
 * thread at 40 samples a second. The RSS alone (`memoryUsage.rss()`, one system call) is read at every
 * sample; the heap figures, which are only reported beside it, at every tenth.
 */
const HEAP_EVERY = 10;

export class RssSampler {
  private peak = 0;
  private samples = 0;
  private peakHeap = 0;
  private peakHeapTotal = 0;
  private peakExternal = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = 25) {
    this.restart();
  }

  restart(): void {
    this.stop();
    this.peak = process.memoryUsage.rss();
    this.peakHeap = this.peakHeapTotal = this.peakExternal = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    // Sampling must never keep the process alive.
    this.timer.unref();
  }

  sample(): void {
    this.samples += 1;
    if (this.samples % HEAP_EVERY !== 1) {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
      return;
    }
    const memory = process.memoryUsage();
    this.peak = Math.max(this.peak, memory.rss);
    this.peakHeap = Math.max(this.peakHeap, memory.heapUsed);
    this.peakHeapTotal = Math.max(this.peakHeapTotal, memory.heapTotal);
    this.peakExternal = Math.max(this.peakExternal, memory.external);
  }

  peakMb(): number {
    this.sample();
    return Math.round(this.peak / 1024 / 1024);
  }

  /** The highest V8 heap in use at the samples: live objects plus garbage not yet collected. */
  peakHeapMb(): number {
    return Math.round(this.peakHeap / 1024 / 1024);
  }

  /** The highest V8 heap reserved (in use or not) and the highest memory held outside it for JavaScript objects (Buffers), in MB. */
  peakHeapTotalAndExternalMb(): { heapTotal: number; external: number } {
    return { heapTotal: Math.round(this.peakHeapTotal / 1024 / 1024), external: Math.round(this.peakExternal / 1024 / 1024) };
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
