/**
 * When V8 compiles a function with its optimizing compiler (TurboFan). By default it optimizes any function
 * whose bytecode is under 81 bytes on its first profiler tick ("small function") and any other one after
 * about 66 KB of bytecode executed. A sync run optimizes most of its pair path, and the next run, minutes
 * later, compiles much of it again: optimized code embeds the objects it was specialised on (object shapes,
 * closures) weakly, and they die with the run's answers (`--trace-opt --trace-deopt`: "weak objects", "wrong
 * map"). At 8,000 Salesforce deals a 1%-changed cycle spent more time in the compiler's threads than in the
 * code it compiled, mostly on functions that ran a few hundred times before the run ended.
 *
 * This skips the first-tick optimization of small functions and asks four times the default budget
 * before optimizing the others, so that the compiler's time goes to code that runs long enough to repay
 * it. Measured with `npm run bench` (bench/README.md, "Design notes": the figures and the alternatives
 * tried). Flags read by V8's tiering decisions as they are made, so they take effect when set at start.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Only on the V8 these were measured on (Node 20's 11.3): a later V8 tiers up through Maglev, by other
 * budgets, and names its flags otherwise (an unknown flag is reported on standard error), so it keeps its own.
 */
const MEASURED_V8 = /^11\.3\./;
const onMeasuredV8 = (): boolean => MEASURED_V8.test(process.versions.v8);

/** V8's defaults in Node 20's V8 11.3 (`node --v8-options`): bytes of bytecode between profiler ticks, and the size under which a function is optimized on its first tick. */
const DEFAULT_INTERRUPT_BUDGET = 67_584;
const DEFAULT_EARLY_OPT_BYTES = 81;
export const INTERRUPT_BUDGET = 4 * DEFAULT_INTERRUPT_BUDGET;

/** Called once at the start of a process that runs syncs (the CLI, the benchmark's engine host). */
export function tuneTiering(): void {
  if (!onMeasuredV8()) return;
  setFlagsFromString('--max-bytecode-size-for-early-opt=0');
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}

/**
 * V8's own tiering again, for `cosell sandbox`: four servers under a sustained load, whose hot paths repay
 * early optimization (tuned, the sandboxes took 3-6% more CPU over a 50,000-deal initial sync: 2 pairs).
 */
export function defaultTiering(): void {
  if (!onMeasuredV8()) return;
  setFlagsFromString(`--max-bytecode-size-for-early-opt=${DEFAULT_EARLY_OPT_BYTES}`);
  setFlagsFromString(`--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`);
}
