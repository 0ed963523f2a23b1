/**
 * The Partner Center referrals client in canonical terms: what the sync engine and the CLI use. It maps
 * with the shared mapping (`mapping.ts`) both ways, and adds the two behaviours the engine relies on:
 * creates that happen exactly once per CRM id, and the change feed.
 */
import { ConnectorError } from '../../core/errors.js';
import type { Referral } from '../../core/model/index.js';
import { readReferralAccess, type ReferralAccess } from './access.js';
import type { ApiReferral } from './api-types.js';
import { readChanges, type ChangeCursor, type ChangePage, type UnmappableReferral } from './change-feed.js';
import type { CallStats, PartnerCenterHttp } from './http.js';
import { createBody, patchOperations, referralFromApi, referralFromValidApi } from './mapping.js';
import type { ListQuery, ReferralsEndpoint } from './referrals.js';

export interface ReferralPage {
  referrals: Referral[];
  unmappable: UnmappableReferral[];
  pageNumber: number;
  hasMore: boolean;
}

export interface CreateResult {
  referral: Referral;
  /** False when a referral with this CRM id already existed before the call. */
  created: boolean;
}

/** A list page's referrals, which the page schema checked already (referrals.ts `list`). */
function mapPage(value: readonly ApiReferral[]): { referrals: Referral[]; unmappable: UnmappableReferral[] } {
  const referrals: Referral[] = [];
  const unmappable: UnmappableReferral[] = [];
  for (const json of value) {
    try {
      referrals.push(referralFromValidApi(json));
    } catch (error) {
      unmappable.push({ id: json.id ?? '(no id)', message: (error as Error).message });
    }
  }
  return { referrals, unmappable };
}

/** The oldest of several referrals with one CRM id: the one every later run keeps linking to. */
function oldest(found: readonly ApiReferral[]): ApiReferral | undefined {
  return [...found].sort((a, b) => (a.createdDateTime ?? '').localeCompare(b.createdDateTime ?? '') || (a.id ?? '').localeCompare(b.id ?? ''))[0];
}

export class PartnerCenterClient {
  /** Creates in flight by CRM id: two callers creating the same deal at once share one create. */
  private readonly creating = new Map<string, Promise<CreateResult>>();
  private accessMemo: Promise<ReferralAccess | undefined> | undefined;

  constructor(
    /** The endpoints in the API's JSON, for callers that need the raw shape. */
    readonly raw: ReferralsEndpoint,
    private readonly http: PartnerCenterHttp,
    private readonly overlapMs: number,
    /** Creates and updates a caller may keep in flight at once (config `concurrency`). */
    readonly maxConcurrency = 1,
  ) {}

  /** `MS-CorrelationId` of every request this client sends (one per run). */
  get correlationId(): string {
    return this.http.correlationId;
  }

  callStats(): CallStats {
    return this.http.callStats();
  }

  resetStats(): void {
    this.http.resetStats();
  }

  /** Starts a new run on a long-lived client: a new `MS-CorrelationId`, a fresh budget and counters. */
  beginRun(correlationId?: string): void {
    this.http.beginRun(correlationId);
    // Roles and vetting can change between runs of a long-lived process: ask again when needed.
    this.accessMemo = undefined;
  }

  /** Refreshes the sign-in past every cached token (http.ts `refreshSignIn`): what `cosell check` proves. */
  refreshSignIn(): Promise<void> {
    return this.http.refreshSignIn();
  }

  /**
   * The signed-in account's roles, location scope and assessment permission, asked once per client
   * (access.ts: a sandbox extension; undefined where the service does not offer it).
   */
  access(): Promise<ReferralAccess | undefined> {
    this.accessMemo ??= readReferralAccess(this.http).catch((error: unknown) => {
      this.accessMemo = undefined;
      throw error;
    });
    return this.accessMemo;
  }

  async get(id: string): Promise<Referral> {
    return referralFromApi(await this.raw.get(id));
  }

  /** Pages of referrals, fetched one at a time as the caller iterates. */
  async *list(query: ListQuery = {}): AsyncGenerator<ReferralPage> {
    for await (const page of this.raw.list(query)) yield { ...mapPage(page.value), pageNumber: page.pageNumber, hasMore: page.hasMore };
  }

  /** The referral that carries this CRM id (`externalReferenceId`), if any. */
  async findByExternalReferenceId(crmId: string): Promise<Referral | undefined> {
    const found = oldest(await this.raw.findByExternalReferenceId(crmId));
    // An item of a list page, which the page check accepted whole (referrals.ts `list`): not checked again.
    return found ? referralFromValidApi(found) : undefined;
  }

  /**
   * A plain create. With a CRM id it is made safe to retry (a lookup runs before any retry); without
   * one, a failure whose outcome is unknown is reported, not retried. Prefer {@link createIdempotent}.
   */
  async create(referral: Referral): Promise<Referral> {
    const crmId = referral.crmId;
    const lookup = crmId ? async () => oldest(await this.raw.findByExternalReferenceId(crmId)) : undefined;
    return referralFromApi(await this.raw.create(createBody(referral), lookup));
  }

  /**
   * Creates the referral once per CRM id, however often it is called and however the network fails:
   * it looks the CRM id up first, and before retrying a failed create it looks again, because a 5xx, a
   * timeout or a dropped connection can come after Partner Center already committed the referral.
   * Concurrent calls for one CRM id in this client share one create; two processes creating the same
   * CRM id at the same moment are not guarded here (the engine must not run overlapping syncs).
   */
  async createIdempotent(referral: Referral): Promise<CreateResult> {
    const crmId = referral.crmId;
    if (!crmId) throw new ConnectorError('missing_crm_id', `Referral "${referral.dealName}" has no CRM id; an idempotent create needs one (externalReferenceId)`, false, { field: 'crmId' });
    const pending = this.creating.get(crmId);
    if (pending) return pending.then((result) => ({ ...result, created: false }));
    const creation = this.createOnce(referral, crmId).finally(() => this.creating.delete(crmId));
    this.creating.set(crmId, creation);
    return creation;
  }

  private async createOnce(referral: Referral, crmId: string): Promise<CreateResult> {
    const existing = oldest(await this.raw.findByExternalReferenceId(crmId));
    if (existing) return { referral: referralFromValidApi(existing), created: false };
    const created = await this.raw.create(createBody(referral), async () => oldest(await this.raw.findByExternalReferenceId(crmId)));
    return { referral: referralFromApi(created), created: true };
  }

  /**
   * Sends the difference between `previous` (as last read, with its eTag) and `next` as JSON Patch.
   * A stale eTag comes back as `ConflictError` for the engine to re-read and merge. No change, no call.
   */
  async update(previous: Referral, next: Referral): Promise<Referral> {
    const id = previous.referralId;
    if (!id) throw new ConnectorError('missing_referral_id', `Referral "${previous.dealName}" has no Partner Center id to update`, false, { field: 'referralId' });
    const ops = patchOperations(previous, next);
    if (ops.length === 0) return previous;
    return referralFromApi(await this.raw.patch(id, ops, previous.eTag));
  }

  /** Referrals changed since `cursor` (everything, or since `since`, on the first run). */
  changes(cursor: ChangeCursor | undefined, options: { since?: string } = {}): AsyncGenerator<ChangePage> {
    return readChanges(this.raw, cursor, { overlapMs: this.overlapMs, ...(options.since ? { since: options.since } : {}) });
  }
}
