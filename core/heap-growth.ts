/**
 * How far V8 lets the heap grow past what is live before its next full collection. By default V8 picks a
 * factor between 1.1 and 4 from how fast the program fills the old generation against how fast it can
 * collect it; a sync run fills it fast (each page's records live until the page is committed) and on a
 * machine with a large default heap limit V8 took the full factor: at 25,000 outbound Dynamics deals a live
 * heap of about 40 MB grew to 170-230 MB of mostly garbage before each collection (`--trace-gc-verbose`:
 * "factor 4.0"), and the engine's peak RSS followed (bench/README.md, "Peak RSS follows V8's heap growth").
 *
 * This sets the factor to 1.5 (`--heap-growing-percent=50`: V8 reads it at every full collection, so it
 * takes effect when set at start). It is not a limit: the heap still grows as far as the live data needs,
 * up to V8's default maximum, so a large tenant is never stopped by it (a `--max-old-space-size` cap would
 * also have lowered the factor, but fails a run whose live data outgrows the cap). The cost is more full
 * collections, each of the live heap only: at 25,000 deals, 39 instead of 24, with engine CPU within the
 * run-to-run spread (41.0 s against 39.5-47.9 s).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Called once at the start of a process that runs syncs (the CLI, the benchmark's engine host). */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
