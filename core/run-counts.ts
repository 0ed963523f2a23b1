/**
 * A run's counts read by every part that reports runs (the engine's tally, `cosell status`, the serve metrics),
 * kept free of imports so that the CLI can load it without the engine.
 */

/** CRM writes among a run's counts: opportunities and leads created or updated, and status write-backs. */
export function crmWritesOf(counts: Readonly<Record<string, number>>): number {
  return (['crmCreated', 'leadsCreated', 'crmUpdated', 'leadsUpdated', 'statusWritten'] as const).reduce((n, k) => n + (counts[k] ?? 0), 0);
}

/** Every write a run made to either side: what `cosell status`, the sync's summary and a dry run's plan count. */
export function writesOf(counts: Readonly<Record<string, number>>): number {
  return (counts.pcCreated ?? 0) + (counts.pcUpdated ?? 0) + crmWritesOf(counts);
}
