/**
 * Every organisation's referrals, as the API JSON each owner sees, indexed by id, owner and engagement.
 * Referrals still waiting for an answer are queued by the time their 14-day window closes, so the lazy
 * expiry before each request takes only the due ones (due-queue.ts), not all 50,000 of a benchmark.
 */
import { DueQueue } from './due-queue.js';
import type { WireReferral } from './wire/types.js';

const DAY_MS = 86_400_000;
/** "If you don't respond within the 14-day window, the referral expires" (seed), and Microsoft's 14 days. */
const WINDOW_MS = 14 * DAY_MS;

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
  private readonly waiting = new DueQueue();
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

  /** The waiting referrals whose window has closed at `now` (the rules have the last word), earliest first. */
  dueIds(now: Date): string[] {
    return this.waiting.due(now.getTime());
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
    this.waiting.schedule(referral.id, dueAt(referral));
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

/**
 * When a waiting referral's window closes (epoch ms), or undefined when it waits for no answer. A date
 * that cannot be read makes it due at once, for the rules to judge (as the sweep on every request did).
 */
function dueAt(referral: StoredReferral): number | undefined {
  const readable = (ms: number) => (Number.isNaN(ms) ? -Infinity : ms);
  const times: number[] = [];
  if (referral.direction === 'Incoming' && referral.status === 'New') times.push(readable(Date.parse(referral.expirationDateTime ?? '')));
  if (['Pending', 'Received'].includes(referral.microsoftEngagement?.status ?? '')) {
    times.push(readable(Date.parse(referral.microsoftEngagement?.requestedDateTime ?? '') + WINDOW_MS));
  }
  return times.length > 0 ? Math.min(...times) : undefined;
}

function index(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}
