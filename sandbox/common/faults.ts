/**
 * Fault injection shared by the sandboxes. The injector only decides; each sandbox answers the fault in
 * its own service's wire format (Partner Center 429 + Retry-After, Salesforce 403 REQUEST_LIMIT_EXCEEDED,
 * Dataverse 429 with code 0x80072322, …).
 *
 * The random source is seeded so that a failing fault test can be replayed exactly.
 */

export type FaultKind = string;

export interface FaultConfig {
  /** Share of matching requests that fail, 0..1. */
  rate: number;
  /** Which faults to draw from, with relative weights. */
  kinds: Partial<Record<FaultKind, number>>;
  /** Only requests whose "METHOD path" matches are faulted (default: all but sandbox controls). */
  match?: string;
  /** Seconds to put in Retry-After for throttling faults. */
  retryAfterSeconds?: number;
  /** Delay for `slow` faults, in milliseconds. */
  slowMs?: number;
  seed?: number;
  /** Stop injecting after this many faults (useful for "fail exactly once" tests). */
  limit?: number;
}

/** mulberry32: a tiny, well-known seeded PRNG (also used by the randomized sync test). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fault kind this sandbox does not answer: refused, so that a typo never looks like a quiet service. */
export class UnknownFaultKind extends Error {
  constructor(readonly unknown: readonly string[], readonly known: readonly string[]) {
    super(`unknown fault kind${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; this sandbox answers: ${known.map((k) => `"${k}"`).join(', ')}`);
    this.name = 'UnknownFaultKind';
  }
}

export class FaultInjector {
  private config: FaultConfig | undefined;
  private random: () => number = Math.random;
  private matcher: RegExp | undefined;
  private injected = 0;

  /**
   * `kinds`: the faults the sandbox answers in its service's wire format. Each sandbox names them after
   * its service ("throttled" in Partner Center, "throttle" in Dataverse, "503" in Salesforce and Entra);
   * an unknown name used to be drawn and then answered normally, so a fault test or an admin trying an
   * outage saw a healthy service and took it for the connector's resilience.
   */
  constructor(private readonly kinds?: readonly string[]) {}

  /** Throws UnknownFaultKind, before changing anything, for a kind the sandbox does not answer. */
  configure(config: FaultConfig | undefined): void {
    const unknown = this.kinds && config ? Object.keys(config.kinds ?? {}).filter((k) => !this.kinds!.includes(k)) : [];
    if (unknown.length) throw new UnknownFaultKind(unknown, this.kinds!);
    this.config = config && config.rate > 0 ? config : undefined;
    this.random = seeded(config?.seed ?? 1);
    this.matcher = config?.match ? new RegExp(config.match) : undefined;
    this.injected = 0;
  }

  current(): FaultConfig | undefined {
    return this.config;
  }

  injectedCount(): number {
    return this.injected;
  }

  /** The fault to inject for this request, or undefined to serve it normally. */
  draw(method: string, path: string): FaultKind | undefined {
    const config = this.config;
    if (!config) return undefined;
    if (config.limit !== undefined && this.injected >= config.limit) return undefined;
    if (this.matcher && !this.matcher.test(`${method} ${path}`)) return undefined;
    if (this.random() >= config.rate) return undefined;
    const entries = Object.entries(config.kinds).filter(([, w]) => (w ?? 0) > 0) as [FaultKind, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    if (total === 0) return undefined;
    let pick = this.random() * total;
    for (const [kind, weight] of entries) {
      pick -= weight;
      if (pick <= 0) {
        this.injected += 1;
        return kind;
      }
    }
    this.injected += 1;
    return entries[entries.length - 1]?.[0];
  }
}

/**
 * The wait of a `slow` fault. Unref'd: a running sandbox is kept alive by its server, and a stopped one
 * (SIGTERM, servers closed) must not wait out an answer it will never send (up to `slowMs`, a minute or more).
 */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
