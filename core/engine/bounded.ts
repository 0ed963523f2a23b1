/**
 * Partner Center has no batch API, so creates and updates go one request each; they are sent a few at a
 * time (the port's `maxConcurrency`) rather than one after another.
 */
import type { RunContext } from './context.js';

/**
 * Runs `work` for every item, at most `limit` at once. On a failure no new item starts, the ones in
 * flight finish (so none is left writing into a page being abandoned), and the first error is thrown.
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
}

/**
 * How many records of a page may be synced at once: the port's limit, or one when two records of the page
 * share an ID (they must be decided one after the other, as the later one reads what the earlier decided).
 */
export function pairConcurrency(ctx: RunContext, ids: readonly string[]): number {
  const limit = ctx.partnerCenter.maxConcurrency ?? 1;
  return limit > 1 && new Set(ids).size === ids.length ? limit : 1;
}
