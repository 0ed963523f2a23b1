/**
 * Splitting a list into runs of at most `size` items, in order: the one chunking helper both connectors
 * use for their per-request limits (IDs per query, records per collection, operations per $batch). Pure.
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new Error(`chunk size must be at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
