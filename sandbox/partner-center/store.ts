/**
 * Every organisation's referrals, as the API JSON each owner sees, indexed by id, owner and engagement.
 * Referrals still waiting for an answer are indexed too, so the lazy 14-day expiry sweep on each
 * request looks at a handful of referrals, not all 50,000 of a benchmark.
 */
import type { WireReferral } from './wire/types.js';

export type StoredReferral = WireReferral & { id: string; organizationId: string; engagementId: string };

export interface StoreSnapshot {
  version: 1;
  referrals: StoredReferral[];
}

export class ReferralStore {
  private readonly byId = new Map<string, StoredReferral>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byEngagement = new Map<string, Set<string>>();
  /** `externalReferenceId` → ids, and the reverse (referrals are mutated in place, so the old key is kept here). */
  private readonly byExternalId = new Map<string, Set<string>>();
  private readonly externalIdOf = new Map<string, string>();
  /** Incoming and still New, or waiting for Microsoft's decision: the only candidates for expiry. */
  private readonly waiting = new Set<string>();
  /** Bumped on every write; list caches key on it. */
  revision = 0;

  get(id: string): StoredReferral | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  all(): StoredReferral[] {
    return [...this.byId.values()];
  }

  ownedBy(org: string): StoredReferral[] {
    return [...(this.byOwner.get(org) ?? [])].map((id) => this.byId.get(id) as StoredReferral);
  }

  inEngagement(engagementId: string): StoredReferral[] {
    return [...(this.byEngagement.get(engagementId) ?? [])].map((id) => this.byId.get(id) as StoredReferral);
  }

  /**
   * Referrals carrying this CRM ID. The connector looks one up before every create, so at scale the
   * lookup must not scan the whole store.
   */
  withExternalReferenceId(externalId: string): StoredReferral[] {
    return [...(this.byExternalId.get(externalId.toLowerCase()) ?? [])].map((id) => this.byId.get(id) as StoredReferral);
  }

  waitingIds(): string[] {
    return [...this.waiting];
  }

  put(referral: StoredReferral): void {
    const previous = this.byId.get(referral.id);
    if (previous && previous.organizationId !== referral.organizationId) this.byOwner.get(previous.organizationId)?.delete(referral.id);
    this.byId.set(referral.id, referral);
    index(this.byOwner, referral.organizationId, referral.id);
    index(this.byEngagement, referral.engagementId, referral.id);
    const oldExternal = this.externalIdOf.get(referral.id);
    // Keys are lower-cased: the sandbox's $filter compares strings case-insensitively.
    const external = referral.externalReferenceId ? referral.externalReferenceId.toLowerCase() : undefined;
    if (oldExternal !== undefined && oldExternal !== external) this.byExternalId.get(oldExternal)?.delete(referral.id);
    if (external) {
      index(this.byExternalId, external, referral.id);
      this.externalIdOf.set(referral.id, external);
    } else {
      this.externalIdOf.delete(referral.id);
    }
    const waitingForUs = referral.direction === 'Incoming' && referral.status === 'New';
    const waitingForMicrosoft = ['Pending', 'Received'].includes(referral.microsoftEngagement?.status ?? '');
    if (waitingForUs || waitingForMicrosoft) this.waiting.add(referral.id);
    else this.waiting.delete(referral.id);
    this.revision += 1;
  }

  clear(): void {
    this.byId.clear();
    this.byOwner.clear();
    this.byEngagement.clear();
    this.byExternalId.clear();
    this.externalIdOf.clear();
    this.waiting.clear();
    this.revision += 1;
  }

  snapshot(): StoreSnapshot {
    return { version: 1, referrals: this.all() };
  }

  load(snapshot: StoreSnapshot): void {
    this.clear();
    for (const referral of snapshot.referrals) this.put(referral);
  }
}

function index(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}
