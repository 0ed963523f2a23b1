/**
 * An in-memory Partner Center behind the engine's port, for engine unit tests: it applies the real rules
 * to every create and update (refusing with RemoteValidationError), keeps eTags and `updatedAt` honest
 * (412 → ConflictError), and pages its change feed by `updatedAt`. The end-to-end tests use the real
 * sandbox and client instead.
 */
import { ConflictError, NotFoundError, RemoteValidationError } from '../../core/errors.js';
import type { PartnerCenterPage, PartnerCenterPort } from '../../core/engine/ports.js';
import type { Referral } from '../../core/model/index.js';
import { blocking, checkChange, checkCreate, describeViolations } from '../../core/rules/index.js';
import type { StoredCursor } from '../../core/store/state-store.js';

export class FakePartnerCenter implements PartnerCenterPort {
  readonly referrals = new Map<string, Referral>();
  calls = 0;
  private tick = 0;
  private seq = 0;

  constructor(private readonly now: () => Date, private readonly pageSize = 100) {}

  private stamp(): string {
    this.tick += 1;
    return new Date(this.now().getTime() + this.tick).toISOString();
  }

  private store(r: Referral): Referral {
    const stored = { ...structuredClone(r), updatedAt: this.stamp(), eTag: `"${this.tick}"` };
    this.referrals.set(stored.referralId!, stored);
    return structuredClone(stored);
  }

  /** What Microsoft or a partner does in Partner Center (no rule check on our side of it). */
  actAs(referralId: string, change: (r: Referral) => Referral): Referral {
    return this.store(change(structuredClone(this.referrals.get(referralId)!)));
  }

  /** An inbound referral arriving from Microsoft. */
  receive(referral: Referral): Referral {
    this.seq += 1;
    return this.store({ ...referral, referralId: referral.referralId ?? `ref-${this.seq}`, engagementId: `eng-${this.seq}`, createdAt: referral.createdAt ?? this.now().toISOString() });
  }

  async *changes(cursor: StoredCursor | undefined): AsyncIterable<PartnerCenterPage> {
    let after = (cursor?.watermark as string | undefined) ?? '';
    for (;;) {
      this.calls += 1;
      const batch = [...this.referrals.values()].filter((r) => r.updatedAt! > after).sort((a, b) => a.updatedAt!.localeCompare(b.updatedAt!)).slice(0, this.pageSize);
      const last = batch[batch.length - 1];
      yield { referrals: batch.map((r) => structuredClone(r)), unmappable: [], cursor: last ? { watermark: last.updatedAt } : cursor };
      if (batch.length < this.pageSize) return;
      after = last!.updatedAt!;
    }
  }

  async get(id: string): Promise<Referral> {
    this.calls += 1;
    const r = this.referrals.get(id);
    if (!r) throw new NotFoundError(`referral ${id} not found`, { record: id });
    return structuredClone(r);
  }

  async createIdempotent(referral: Referral, _options?: { lookupFirst?: boolean }): Promise<{ referral: Referral; created: boolean }> {
    this.calls += 1;
    const existing = [...this.referrals.values()].find((r) => r.crmId === referral.crmId);
    if (existing) return { referral: structuredClone(existing), created: false };
    const violations = blocking(checkCreate(referral, { actor: 'us', now: this.now() }));
    if (violations.length) throw new RemoteValidationError(describeViolations(violations), { record: referral.crmId });
    this.seq += 1;
    return { referral: this.store({ ...referral, referralId: `ref-${this.seq}`, engagementId: `eng-${this.seq}`, status: 'Active', substatus: 'Accepted', createdAt: this.now().toISOString() }), created: true };
  }

  async update(previous: Referral, next: Referral): Promise<Referral> {
    this.calls += 1;
    const current = this.referrals.get(previous.referralId!);
    if (!current) throw new NotFoundError(`referral ${previous.referralId} not found`, { record: previous.referralId });
    if (previous.eTag && previous.eTag !== current.eTag) throw new ConflictError('eTag mismatch', { record: previous.referralId });
    const violations = blocking(checkChange(current, { ...next, eTag: current.eTag, updatedAt: current.updatedAt }, { actor: 'us', now: this.now() }));
    if (violations.length) throw new RemoteValidationError(describeViolations(violations), { record: previous.referralId });
    return this.store({ ...next, referralId: current.referralId, createdAt: current.createdAt });
  }

  /** The fake does not say (like a live service without the sandbox's access extension). */
  async assessmentsAllowed(): Promise<boolean | undefined> {
    return undefined;
  }

  referralLink(id: string): string {
    return `https://partner.example/referrals/${id}`;
  }

  callCount(): number {
    return this.calls;
  }
}
