/**
 * A small request limiter that keeps the adapter under Dataverse's service protection limits
 * (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits): at most N calls in
 * flight, at most M calls per 5-minute sliding window, and a shared pause when the server asks for
 * one (429 Retry-After), so parallel callers do not keep pushing while throttled.
 */
export interface LimiterOptions {
  concurrency: number;
  requestsPerWindow: number;
  windowMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class RequestLimiter {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly started: number[] = [];
  private resumeAt = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: LimiterOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Everyone waits until `ms` from now (the server's Retry-After). */
  pauseFor(ms: number): void {
    this.resumeAt = Math.max(this.resumeAt, this.now() + ms);
  }

  /** The server answered again: whoever waits on a pause may go. */
  clearPause(): void {
    this.resumeAt = 0;
  }

  /** Runs `fn` when a slot is free. A retry that already waited out the server's Retry-After skips the pause. */
  async run<T>(fn: () => Promise<T>, options: { ignorePause?: boolean } = {}): Promise<T> {
    await this.acquire(options.ignorePause === true);
    try {
      return await fn();
    } finally {
      this.inFlight -= 1;
      this.waiting.shift()?.();
    }
  }

  private async acquire(ignorePause: boolean): Promise<void> {
    while (this.inFlight >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight += 1;
    for (;;) {
      const now = this.now();
      while (this.started.length > 0 && now - this.started[0]! >= this.options.windowMs) this.started.shift();
      const paused = ignorePause ? 0 : this.resumeAt - now;
      const windowWait = this.started.length >= this.options.requestsPerWindow ? this.started[0]! + this.options.windowMs - now : 0;
      const wait = Math.max(paused, windowWait);
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    this.started.push(this.now());
  }
}
