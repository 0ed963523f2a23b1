/**
 * An in-memory CRM behind the `CrmAdapter` contract, for engine unit tests: opportunities are canonical
 * referrals plus the seller's intent and the status fields, with a server timestamp on every write.
 * The contract suite and the end-to-end tests use the real Salesforce and Dataverse sandboxes instead.
 */
import type { CheckReport, CrmAdapter, CrmChangePage, CrmCursor, CrmDeal, CrmLead, CrmStage, CrmWrite, CrmWriteResult, SetupReport, SellerIntent, SyncStatus } from '../../core/engine/crm-port.js';
import { valueAt, type Referral } from '../../core/model/index.js';

export interface FakeOpportunity {
  crmId: string;
  modifiedAt: string;
  referral: Referral;
  intent: SellerIntent;
  status?: SyncStatus;
  deleted?: boolean;
}

/** A refusal the fake CRM answers with, as a validation rule or a plug-in of a real CRM would. */
export interface FakeRefusal {
  field?: string;
  rule: string;
  message: string;
}

export class FakeCrm implements CrmAdapter {
  readonly displayName = 'Fake CRM';
  readonly maxBatchSize = 200;
  /** Field lengths the fake enforces on every write (a longer value is refused with STRING_TOO_LONG). */
  textLimits: Record<string, number> = {};
  /** The labels its sellers see (none by default: reasons then spell the canonical paths out in words). */
  fieldLabels: Record<string, string> = {};
  /** An org rule: refuses the writes it returns a refusal for. */
  refuse: ((write: CrmWrite) => FakeRefusal | undefined) | undefined;
  readonly records = new Map<string, FakeOpportunity>();
  readonly calls = { read: 0, write: 0, get: 0, find: 0 };
  private tick = 0;
  private seq = 0;
  private deletions: { crmId: string; at: string }[] = [];

  constructor(private readonly now: () => Date, private readonly pageSize = 200) {}

  private stamp(): string {
    this.tick += 1;
    return new Date(this.now().getTime() + this.tick).toISOString();
  }

  /** What a seller does in the CRM. */
  edit(crmId: string, change: (o: FakeOpportunity) => void): void {
    const o = this.records.get(crmId)!;
    change(o);
    o.modifiedAt = this.stamp();
  }

  add(referral: Referral, intent: SellerIntent = { optedIn: true }): string {
    this.seq += 1;
    const crmId = `opp-${this.seq}`;
    this.records.set(crmId, { crmId, modifiedAt: this.stamp(), referral: { ...structuredClone(referral), crmId, referralId: undefined }, intent });
    return crmId;
  }

  remove(crmId: string): void {
    this.records.delete(crmId);
    this.deletions.push({ crmId, at: this.stamp() });
  }

  private view(o: FakeOpportunity): CrmDeal {
    return {
      crmId: o.crmId, modifiedAt: o.modifiedAt, intent: { ...o.intent }, referral: { ...structuredClone(o.referral), ...(o.status?.referralId ? { referralId: o.status.referralId } : {}) }, problems: [],
      // The connector's own status fields, read back as the real adapters do (connectors/shown-status.ts).
      shownStatus: { state: o.status?.state ?? null, message: o.status?.message || null, lastSyncedAt: o.status?.lastSyncedAt ?? null },
    };
  }

  /** As the real adapters: the record's status fields against what writing `status` leaves on them. */
  showsStatus(deal: CrmDeal, status: SyncStatus, messageSet?: boolean): boolean {
    const shown = deal.shownStatus ?? {};
    const message = messageSet ? (shown.message === null) === !status.message : shown.message === (status.message || null);
    return shown.state === status.state && message && (status.lastSyncedAt === undefined || shown.lastSyncedAt === status.lastSyncedAt);
  }

  async *readChanges(cursor: CrmCursor | undefined): AsyncIterable<CrmChangePage> {
    let after = (cursor?.modifiedAt as string | undefined) ?? '';
    for (;;) {
      this.calls.read += 1;
      const batch = [...this.records.values()].filter((o) => o.modifiedAt > after).sort((a, b) => a.modifiedAt.localeCompare(b.modifiedAt)).slice(0, this.pageSize);
      const deleted = this.deletions.filter((d) => d.at > after).map((d) => d.crmId);
      const last = batch[batch.length - 1];
      const watermark = [last?.modifiedAt ?? after, ...this.deletions.filter((d) => d.at > after).map((d) => d.at)].sort().pop() ?? after;
      yield { deals: batch.map((o) => this.view(o)), deletedIds: deleted, cursor: { modifiedAt: watermark } };
      if (batch.length < this.pageSize) return;
      after = watermark;
    }
  }

  async getDeals(crmIds: readonly string[]): Promise<CrmDeal[]> {
    this.calls.get += 1;
    return crmIds.flatMap((id) => (this.records.has(id) ? [this.view(this.records.get(id)!)] : []));
  }

  async missingIds(crmIds: readonly string[]): Promise<string[]> {
    this.calls.get += 1;
    return crmIds.filter((id) => !this.records.has(id));
  }

  async findAllByReferralIds(referralIds: readonly string[]): Promise<Map<string, string[]>> {
    this.calls.find += 1;
    const found = new Map<string, string[]>();
    for (const o of this.records.values()) if (o.status?.referralId && referralIds.includes(o.status.referralId)) found.set(o.status.referralId, [...(found.get(o.status.referralId) ?? []), o.crmId]);
    return found;
  }

  async write(writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> {
    this.calls.write += 1;
    return writes.map((w): CrmWriteResult => {
      const refusal = this.refusalOf(w);
      if (refusal) return { key: w.key, ok: false, code: 'validation', message: refusal.message, rule: refusal.rule, ...(refusal.field ? { field: refusal.field } : {}) };
      if (w.kind === 'create') {
        this.seq += 1;
        const crmId = `opp-${this.seq}`;
        this.records.set(crmId, { crmId, modifiedAt: this.stamp(), referral: { ...structuredClone(w.referral), crmId }, intent: { optedIn: true }, status: w.status });
        return { key: w.key, ok: true, crmId, modifiedAt: this.records.get(crmId)!.modifiedAt };
      }
      const o = this.records.get(w.crmId);
      if (!o) return { key: w.key, ok: false, code: 'not_found', message: `opportunity ${w.crmId} not found` };
      if (w.kind === 'update') {
        for (const field of w.changedFields) {
          const [head, member] = field.split('.') as [keyof Referral, string | undefined];
          const value = valueAt(w.referral, field);
          if (member) (o.referral[head] as unknown as Record<string, unknown>)[member] = value;
          else (o.referral as unknown as Record<string, unknown>)[head] = structuredClone(value);
        }
      }
      // As the real adapters (statusValues, fields.salesforce.ts): a status that names no referral leaves the
      // record's referral ID (a seller may have typed it) as it is.
      if (w.status) o.status = w.status.referralId === undefined && o.status?.referralId ? { ...w.status, referralId: o.status.referralId } : w.status;
      o.modifiedAt = this.stamp();
      return { key: w.key, ok: true, crmId: o.crmId, modifiedAt: o.modifiedAt };
    });
  }

  private refusalOf(w: CrmWrite): FakeRefusal | undefined {
    if (w.kind !== 'status') {
      for (const [field, max] of Object.entries(this.textLimits)) {
        const value = valueAt(w.referral, field);
        if (typeof value === 'string' && value.length > max) return { field, rule: 'STRING_TOO_LONG', message: `${field}: data value too large (max length=${max})` };
      }
    }
    return this.refuse?.(w);
  }

  /** The fake creates no leads (it writes every create as an opportunity), so it finds none. */
  async readLeads(): Promise<Map<string, CrmLead>> {
    return new Map();
  }

  async findLeads(): Promise<Map<string, CrmLead>> {
    return new Map();
  }

  async listStages(): Promise<CrmStage[]> {
    return [{ name: 'Qualify', isClosed: false, isWon: false, probability: 20, isActive: true }];
  }

  async setup(): Promise<SetupReport> {
    return { created: [], alreadyPresent: ['all'] };
  }

  async check(): Promise<CheckReport> {
    return { ready: true, items: [] };
  }

  /** This CRM keeps no related-row index: the same one serves. */
  withRelatedRows(): this {
    return this;
  }
}
