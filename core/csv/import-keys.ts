/**
 * The keys a bulk import created deals under, remembered in the state store (issue: re-uploading a file
 * after a sync created its deals again). An import keys each new deal by its CRM ID or its content
 * (idempotency.ts) and stores the key as the deal's CRM ID in Partner Center, which is how a second run
 * of the same file finds the deal. The sync later replaces that CRM ID with the opportunity it links the
 * deal to (`cosell link`, `import --to-crm`), and the key was gone from Partner Center: the same file then
 * created every deal a second time. The import now also remembers key → referral ID in the state store,
 * and a key Partner Center no longer shows is looked up there.
 */
import type { Referral } from '../model/index.js';
import type { ReferralGateway } from './ports.js';

/** Where the keys are kept: the state store's meta records (synchronous or not). */
export interface MetaRecords {
  getMeta(key: string): unknown;
  putMeta(key: string, value: unknown, at: string): unknown;
}

export interface ImportKeys {
  /** The referral a key created, as remembered. */
  referralFor(key: string): Promise<string | undefined>;
  remember(key: string, referralId: string): Promise<void>;
}

const META_PREFIX = 'csv.import-key:';

export function importKeysIn(store: MetaRecords, now: () => Date = () => new Date()): ImportKeys {
  return {
    async referralFor(key) {
      const value = (await store.getMeta(`${META_PREFIX}${key}`)) as { referralId?: string } | undefined;
      return value?.referralId;
    },
    async remember(key, referralId) {
      await store.putMeta(`${META_PREFIX}${key}`, { referralId }, now().toISOString());
    },
  };
}

/** `gateway`, finding a deal by a key the import remembers as well as by Partner Center's CRM ID, and remembering each key it creates under. */
export function rememberingKeys(gateway: ReferralGateway, keys: ImportKeys): ReferralGateway {
  return {
    listReferrals: (filter) => gateway.listReferrals(filter),
    getReferral: (referralId) => gateway.getReferral(referralId),
    findByEngagementId: (engagementId) => gateway.findByEngagementId(engagementId),
    async findByExternalReferenceId(crmId) {
      const found = await gateway.findByExternalReferenceId(crmId);
      if (found) return found;
      const remembered = await keys.referralFor(crmId);
      return remembered === undefined ? undefined : gateway.getReferral(remembered);
    },
    async createReferral(referral: Referral) {
      const created = await gateway.createReferral(referral);
      if (referral.crmId && created.referralId) await keys.remember(referral.crmId, created.referralId);
      return created;
    },
    updateReferral: (previous, next) => gateway.updateReferral(previous, next),
  };
}
