/**
 * An in-memory Partner Center behind the CSV port, applying the real rules: a create is judged by
 * `checkCreate` and stored Active/Accepted with new IDs (as Partner Center creates outbound deals), an
 * update by `checkChange` against what is stored, as our company. It counts writes, so tests can assert
 * that a refused or unchanged row made no call.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, RemoteValidationError } from '../../../core/errors.js';
import type { Referral } from '../../../core/model/index.js';
import { blocking, checkChange, checkCreate, describeViolations, type RuleContext } from '../../../core/rules/index.js';
import { matchesFilter, type ReferralFilter, type ReferralGateway } from '../../../core/csv/index.js';

export const NOW = new Date('2026-03-01T12:00:00.000Z');
const PAGE_SIZE = 100;

export class MemoryGateway implements ReferralGateway {
  readonly store = new Map<string, Referral>();
  readonly calls = { create: 0, update: 0, list: 0, pages: 0 };

  constructor(private readonly now: () => Date = () => NOW) {}

  private rules(): RuleContext {
    return { actor: 'us', now: this.now() };
  }

  seed(referrals: Iterable<Referral>): this {
    for (const r of referrals) {
      if (!r.referralId) throw new Error('seeded referrals need a referral ID');
      this.store.set(r.referralId, structuredClone(r));
    }
    return this;
  }

  async *listReferrals(filter: ReferralFilter): AsyncGenerator<Referral[]> {
    this.calls.list += 1;
    const all = [...this.store.values()].filter((r) => matchesFilter(r, filter));
    for (let i = 0; i < all.length; i += PAGE_SIZE) {
      this.calls.pages += 1;
      yield all.slice(i, i + PAGE_SIZE).map((r) => structuredClone(r));
    }
  }

  async getReferral(referralId: string): Promise<Referral | undefined> {
    const found = this.store.get(referralId);
    return found && structuredClone(found);
  }

  async findByEngagementId(engagementId: string): Promise<Referral | undefined> {
    const found = [...this.store.values()].find((r) => r.engagementId === engagementId);
    return found && structuredClone(found);
  }

  async findByExternalReferenceId(crmId: string): Promise<Referral | undefined> {
    const found = [...this.store.values()].find((r) => r.crmId === crmId);
    return found && structuredClone(found);
  }

  async createReferral(referral: Referral): Promise<Referral> {
    const errors = blocking(checkCreate(referral, this.rules()));
    if (errors.length > 0) throw new RemoteValidationError(describeViolations(errors), { field: errors[0]!.field });
    this.calls.create += 1;
    const at = this.now().toISOString();
    const created: Referral = {
      ...structuredClone(referral),
      referralId: randomUUID(),
      engagementId: randomUUID(),
      eTag: `"${randomUUID()}"`,
      status: 'Active',
      substatus: 'Accepted',
      createdAt: at,
      updatedAt: at,
      acceptedAt: at,
    };
    this.store.set(created.referralId as string, created);
    return structuredClone(created);
  }

  async updateReferral(previous: Referral, next: Referral): Promise<Referral> {
    const current = previous.referralId ? this.store.get(previous.referralId) : undefined;
    if (!current) throw new NotFoundError(`no referral ${previous.referralId}`);
    const errors = blocking(checkChange(current, next, this.rules()));
    if (errors.length > 0) throw new RemoteValidationError(describeViolations(errors), { field: errors[0]!.field });
    this.calls.update += 1;
    const updated: Referral = { ...structuredClone(next), eTag: `"${randomUUID()}"`, updatedAt: this.now().toISOString() };
    this.store.set(updated.referralId as string, updated);
    return structuredClone(updated);
  }
}
