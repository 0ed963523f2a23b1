/** A CRM that keeps opportunities in memory: just enough of `CrmAdapter` for `importToCrm`. */
import type { CrmAdapter, CrmLead, CrmWrite, CrmWriteResult } from '../../../core/engine/crm-port.js';
import type { Referral } from '../../../core/model/index.js';

export class MemoryCrm implements CrmAdapter {
  readonly displayName = 'Memory CRM';
  readonly textLimits = {};
  readonly fieldLabels = {};
  readonly opportunities = new Map<string, { referral: Referral; status: unknown }>();
  readonly batches: number[] = [];
  private next = 1;

  constructor(readonly maxBatchSize = 3) {}

  async findAllByReferralIds(referralIds: readonly string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    for (const [crmId, opp] of this.opportunities) if (opp.referral.referralId && referralIds.includes(opp.referral.referralId)) found.set(opp.referral.referralId, [...(found.get(opp.referral.referralId) ?? []), crmId]);
    return found;
  }

  async write(writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> {
    if (writes.length > this.maxBatchSize) throw new Error(`batch of ${writes.length} > ${this.maxBatchSize}`);
    this.batches.push(writes.length);
    return writes.map((w): CrmWriteResult => {
      if (w.kind !== 'create') return { key: w.key, ok: false, code: 'failed', message: 'only creates here' };
      if (w.referral.dealName.includes('refuse me')) return { key: w.key, ok: false, code: 'validation', message: 'Name is too long', field: 'dealName' };
      const crmId = `OPP-${this.next++}`;
      this.opportunities.set(crmId, { referral: structuredClone(w.referral), status: w.status });
      return { key: w.key, ok: true, crmId };
    });
  }

  readChanges(): AsyncIterable<never> {
    throw new Error('not used by the CSV import');
  }
  getDeals(): Promise<never> {
    throw new Error('not used by the CSV import');
  }
  async readLeads(): Promise<Map<string, CrmLead>> {
    return new Map();
  }

  async findLeads(): Promise<Map<string, CrmLead>> {
    return new Map();
  }

  missingIds(): Promise<never> {
    throw new Error('not used by the CSV import');
  }
  listStages(): Promise<never> {
    throw new Error('not used by the CSV import');
  }
  setup(): Promise<never> {
    throw new Error('not used by the CSV import');
  }
  check(): Promise<never> {
    throw new Error('not used by the CSV import');
  }
  withRelatedRows(): never {
    throw new Error('not used by the CSV import');
  }
}
