/**
 * "Retry now" for a parked record (the dashboard's action): the park becomes due at once, so the next
 * sync's parked retries (parked-retries.ts) read it fresh and send it through the usual path, exactly as
 * when its back-off ends. Nothing else about the park changes: a failure parks it again with its reasons.
 */
import { ConfigError } from '../errors.js';
import type { AsyncStateStore } from '../store/async-state-store.js';
import type { ParkedRecord, Side } from '../store/state-store.js';

export async function retryParkedNow(store: AsyncStateStore, side: Side, recordId: string, nowIso: string): Promise<ParkedRecord> {
  const parked = await store.getParked(side, recordId);
  if (!parked) throw new ConfigError('record', `${recordId} (${side}) is not parked`);
  const due = { ...parked, retryAt: nowIso };
  await store.transaction((tx) => tx.park(due));
  return due;
}
