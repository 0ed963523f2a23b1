/**
 * The soak's verdict from its per-cycle figures (pure): for each figure the mean of the first and of the last
 * tenth of the cycles, and its least-squares slope per 100 cycles. The slope leaves out the first tenth: it is
 * the warm-up (V8 compiling, the feeds settling after the initial sync, pools filling), not growth.
 */
import type { SoakProbe } from './soak-probe.js';

export interface SoakCycle {
  cycle: number;
  /** Seller edits and Partner Center changes made before this cycle's turn. */
  crmEdits: number;
  pcChanges: number;
  /** `ok`, `partial`, `failed: …`, or `skipped` (the runner lock was held). */
  outcome: string;
  writes: number;
  engineCpuMs: number;
  wallMs: number;
  pcCalls: number;
  crmCalls: number;
  probe: SoakProbe;
}

export interface FigureTrend {
  figure: string;
  first: number;
  last: number;
  min: number;
  max: number;
  /** Change per 100 cycles, past the warm-up tenth. */
  slopePer100: number;
}

/** The figures the summary follows, each read from one cycle. */
export const SOAK_FIGURES: Record<string, (c: SoakCycle) => number> = {
  'heap after GC MB': (c) => c.probe.heapUsedMb,
  'of it, code space MB': (c) => c.probe.codeSpaceMb,
  'heap total MB': (c) => c.probe.heapTotalMb,
  'external MB': (c) => c.probe.externalMb,
  'RSS MB': (c) => c.probe.rssMb,
  'active handles': (c) => Object.values(c.probe.handles).reduce((n, k) => n + k, 0),
  'open file descriptors': (c) => c.probe.openFds,
  'store db KB': (c) => c.probe.storeBytes / 1024,
  'store wal KB': (c) => c.probe.walBytes / 1024,
  'engine CPU ms': (c) => c.engineCpuMs,
  'PC calls': (c) => c.pcCalls,
  'CRM calls': (c) => c.crmCalls,
  writes: (c) => c.writes,
};

/** Least-squares slope of `ys` over `xs`; 0 for fewer than two points or no spread in `xs`. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  const mean = (vs: readonly number[]) => vs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** The first and the last tenth of `items` (at least one item each). */
export function tenths<T>(items: readonly T[]): { first: T[]; last: T[]; rest: T[] } {
  const size = Math.max(1, Math.floor(items.length / 10));
  return { first: items.slice(0, size), last: items.slice(-size), rest: items.length > size ? items.slice(size) : [...items] };
}

const average = (vs: readonly number[]) => (vs.length === 0 ? 0 : vs.reduce((a, b) => a + b, 0) / vs.length);

export function trends(cycles: readonly SoakCycle[]): FigureTrend[] {
  const { first, last, rest } = tenths(cycles);
  return Object.entries(SOAK_FIGURES).map(([figure, read]) => {
    const all = cycles.map(read);
    return {
      figure,
      first: average(first.map(read)),
      last: average(last.map(read)),
      min: Math.min(...all),
      max: Math.max(...all),
      slopePer100: slope(rest.map((c) => c.cycle), rest.map(read)) * 100,
    };
  });
}

/** Per kind (handles, or table rows): the count in the first cycle and in the last, kinds in either. */
export function firstAndLast(cycles: readonly SoakCycle[], read: (c: SoakCycle) => Record<string, number>): { kind: string; first: number; last: number; max: number }[] {
  const head = cycles[0];
  const tail = cycles[cycles.length - 1];
  if (!head || !tail) return [];
  const kinds = [...new Set(cycles.flatMap((c) => Object.keys(read(c))))].sort();
  return kinds.map((kind) => ({ kind, first: read(head)[kind] ?? 0, last: read(tail)[kind] ?? 0, max: Math.max(...cycles.map((c) => read(c)[kind] ?? 0)) }));
}

const fixed = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

/** The summary as Markdown tables: the trends, then handles and table rows, first cycle against last. */
export function formatSummary(cycles: readonly SoakCycle[]): string {
  const { first, last } = tenths(cycles);
  const lines = [
    `${cycles.length} cycles; first tenth = cycles ${first[0]?.cycle}-${first[first.length - 1]?.cycle}, last tenth = cycles ${last[0]?.cycle}-${last[last.length - 1]?.cycle}; slope fitted past the first tenth`,
    '',
    '| figure | first tenth (mean) | last tenth (mean) | min | max | slope / 100 cycles |',
    '|---|---|---|---|---|---|',
    ...trends(cycles).map((t) => `| ${t.figure} | ${fixed(t.first)} | ${fixed(t.last)} | ${fixed(t.min)} | ${fixed(t.max)} | ${fixed(t.slopePer100)} |`),
    '',
    '| active handle kind | first cycle | last cycle | max |',
    '|---|---|---|---|',
    ...firstAndLast(cycles, (c) => c.probe.handles).map((h) => `| ${h.kind} | ${h.first} | ${h.last} | ${h.max} |`),
    '',
    '| state store table | rows, first cycle | rows, last cycle |',
    '|---|---|---|',
    ...firstAndLast(cycles, (c) => c.probe.tableRows).map((t) => `| ${t.kind} | ${t.first} | ${t.last} |`),
  ];
  const outcomes = new Map<string, number>();
  for (const c of cycles) outcomes.set(c.outcome, (outcomes.get(c.outcome) ?? 0) + 1);
  lines.push('', `Outcomes: ${[...outcomes].map(([o, n]) => `${o} ×${n}`).join(', ')}`);
  return lines.join('\n');
}
