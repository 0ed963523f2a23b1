/**
 * A seller's save that lands between a run's read and its write: the race a status write made on the version
 * read must still notice (the next run reads the record). Used by the read-back tests of both CRMs.
 */
import type { World } from '../../sandbox/world.js';

/**
 * Makes the CRM's next write batch wait for `save`; answers whether that save has run (the hook is spent).
 * `laterWrites`: write batches to let through first (1: the save lands before the run's second write call,
 * as a status written after a refused update is).
 */
export function saveBeforeNextWrite(w: World, save: () => Promise<void>, laterWrites = 0): () => boolean {
  const crm = w.runtime.crm;
  const write = crm.write.bind(crm);
  let passed = 0;
  crm.write = async (writes) => {
    if (passed++ < laterWrites) return write(writes);
    crm.write = write;
    await save();
    return write(writes);
  };
  return () => crm.write === write;
}
