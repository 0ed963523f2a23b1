/**
 * Settling a conflict the manual policy parked: the losing side's values become the base, so the next
 * sync sees the winner's values as the change and sends them; the link is due for a revisit at once,
 * without waiting for another edit on either side.
 */
import { ConfigError } from '../errors.js';
import type { AsyncStateStore } from '../store/async-state-store.js';
import type { ConflictResolution } from '../store/state-store.js';
import { readUnit, writeUnit } from './merge/units.js';

export async function settleConflict(store: AsyncStateStore, id: number, take: ConflictResolution, nowIso: string): Promise<void> {
  const conflict = await store.getConflict(id);
  if (!conflict) throw new ConfigError('id', `no conflict ${id} (cosell conflicts list shows the open ones)`);
  if (conflict.resolvedAt) throw new ConfigError('id', `conflict ${id} was already settled for ${conflict.resolution ?? 'a side'} at ${conflict.resolvedAt}; nothing was changed`);
  const link = await store.getLinkByCrmId(conflict.crmId);
  if (!link) throw new ConfigError('id', `conflict ${id} belongs to a link that no longer exists`);
  const loser = take === 'crm' ? conflict.partnerCenter : conflict.crm;
  const base = conflict.fields.reduce((acc, unit) => writeUnit(acc, unit, readUnit(loser, unit)), link.base);
  await store.transaction((tx) => tx.putLink({ ...link, base, heldUntil: nowIso, updatedAt: nowIso }));
  await store.resolveConflict(conflict.id, take, nowIso);
}
