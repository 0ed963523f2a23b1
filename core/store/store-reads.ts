/**
 * The reads that show a tenant's state to people (`cosell status`, the dashboard, the metrics' gauges),
 * as the asynchronous store answers them. An `AsyncStateStore` (SQLite or one tenant's PostgreSQL view)
 * is one already; `storeReadsOf` gives the same reads over an open synchronous store, so a single install
 * that already holds its store open shows it through the same code path as a tenant in PostgreSQL.
 */
import type { AsyncStateStore } from './async-state-store.js';
import type { StateStore } from './state-store.js';

export type StoreReads = Pick<
  AsyncStateStore,
  | 'listRuns' | 'countLinks' | 'listLinks' | 'attentionLinks' | 'pipelineDeals' | 'listIntents' | 'listParked' | 'countParked'
  | 'getParked' | 'getLinkByCrmId' | 'getLinkByReferralId' | 'listConflicts' | 'getMeta' | 'lockHolder' | 'recentNotices'
>;

/** The reads of an open synchronous store, answered as Promises (no copy, no second connection). */
export function storeReadsOf(store: StateStore): StoreReads {
  return {
    listRuns: async (limit) => store.listRuns(limit),
    countLinks: async () => store.countLinks(),
    listLinks: async (filter) => store.listLinks(filter),
    attentionLinks: async () => store.attentionLinks(),
    pipelineDeals: async () => store.pipelineDeals(),
    listIntents: async () => store.listIntents(),
    listParked: async (filter) => store.listParked(filter),
    countParked: async () => store.countParked(),
    getParked: async (side, recordId) => store.getParked(side, recordId),
    getLinkByCrmId: async (crmId) => store.getLinkByCrmId(crmId),
    getLinkByReferralId: async (referralId) => store.getLinkByReferralId(referralId),
    listConflicts: async (options) => store.listConflicts(options),
    getMeta: async (key) => store.getMeta(key),
    lockHolder: async () => store.lockHolder(),
    recentNotices: async (limit) => store.notices.recent(limit),
  };
}
