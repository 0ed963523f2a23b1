/** What `cosell status` prints for a store, read as the command reads it (status-report.ts), no runner holding the lock. */
import { readStatus, renderStatus } from '../../core/cli/status-report.js';
import type { StateStore } from '../../core/store/index.js';
import { storeReadsOf } from '../../core/store/store-reads.js';

/** The status lines for `store` at `now` (the test's clock, so ages and due times do not follow the wall clock). */
export async function statusLines(store: StateStore, now: Date): Promise<string[]> {
  const { report, verdict } = await readStatus(storeReadsOf(store), { host: 'here', now: now.getTime(), isProcessAlive: () => false });
  return renderStatus(report, verdict, now);
}
