/**
 * The admin's part in the model: under the manual conflict policy, `cosell conflicts resolve ID --take
 * crm|partner-center` settles what the engine left for a person (core/engine/settle-conflict.ts, the same
 * function the command runs). The invariants then hold the conflicts list and the records to each other:
 * a record that says "conflict" has an open conflict an admin can settle, and an open conflict belongs to a
 * record that still says so (a conflict whose sides came to agree by themselves would otherwise stay listed
 * and keep holding the fields against the next one-sided edit).
 */
import { settleConflict } from '../../core/engine/settle-conflict.js';
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import type { World } from '../../sandbox/world.js';
import type { Pick } from './actions.js';

/** Settles one open conflict for a side the admin picks; returns what it did, for the replay log. */
export async function settleOpenConflict(world: World, pick: Pick): Promise<string> {
  const open = world.runtime.store.listConflicts();
  if (open.length === 0) return 'an admin finds no open conflict';
  const conflict = pick(open);
  const take = pick(['crm', 'partner-center'] as const);
  await settleConflict(asyncStateStore(world.runtime.store), conflict.id, take, new Date().toISOString());
  return `an admin settles conflict ${conflict.id} (${conflict.fields.join(', ')} on ${conflict.crmId}) for ${take}`;
}
