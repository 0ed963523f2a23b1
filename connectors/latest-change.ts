/**
 * The latest of several change times, and the latest change per opportunity: what both CRM change feeds
 * keep when related rows, customers and deletions all name the deals they changed. ISO 8601 instants,
 * compared as instants (not as text: offsets and precision differ between services). Pure.
 */

/** The later of two instants; an absent one loses. */
export function laterInstant(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Records `at` for `key` unless a later change is already recorded. */
export function noteLatestChange(into: Map<string, string>, key: string, at: string): void {
  const seen = into.get(key);
  if (!seen || Date.parse(at) > Date.parse(seen)) into.set(key, at);
}

/** Records every (key, at) of `from` into `into`, keeping the latest per key. */
export function mergeLatestChanges(into: Map<string, string>, from: Iterable<readonly [string, string]>): void {
  for (const [key, at] of from) noteLatestChange(into, key, at);
}

/** Dates a deal read again for a related change by that change, when it is later than the deal's own. */
export function datedByChange<T extends { modifiedAt: string }>(deal: T, at: string | undefined): T {
  if (at && Date.parse(at) > Date.parse(deal.modifiedAt)) deal.modifiedAt = at;
  return deal;
}
