/**
 * A seller's save that lands between a run's read and its write: the race a status write made on the version
 * read must still notice (the next run reads the record). Used by the read-back tests of both CRMs.
 */
import type { World } from '../../sandbox/world.js';

/** Makes the CRM's next write batch wait for `save`; answers whether that save has run (the hook is spent). */
export function saveBeforeNextWrite(w: World, save: () => Promise<void>): () => boolean {
  const crm = w.runtime.crm;
  const write = crm.write.bind(crm);
  crm.write = async (writes) => {
    crm.write = write;
    await save();
    return write(writes);
  };
  return () => crm.write === write;
}
