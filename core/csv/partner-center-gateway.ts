/**
 * The Partner Center client behind the CSV code's narrow port. Creates go through `createIdempotent`,
 * keyed by the CRM ID the import always sets (a real one or a content key, idempotency.ts), so a create
 * retried after a lost response is not made twice either.
 */
import { odataStringLiteral } from '../../connectors/odata.js';
import { NotFoundError } from '../errors.js';
import { Direction, ReferralStatus, type Referral } from '../model/index.js';
import type { ReferralFilter, ReferralGateway } from './ports.js';

/**
 * What the gateway uses of a Partner Center client, declared here so that core/csv imports no connector:
 * connectors/partner-center's client has these methods and is passed in by the CLI and the worker.
 */
export interface ReferralClient {
  /** Pages of referrals; `filter` and `orderBy` are OData `$filter` and `$orderby`. */
  list(query: { filter?: string; orderBy?: string }): AsyncIterable<{ referrals: Referral[] }>;
  /** Throws NotFoundError (core/errors.ts) when there is no referral with this ID. */
  get(referralId: string): Promise<Referral>;
  findByExternalReferenceId(crmId: string): Promise<Referral | undefined>;
  createIdempotent(referral: Referral): Promise<{ referral: Referral }>;
  update(previous: Referral, next: Referral): Promise<Referral>;
}

/**
 * The server-side part of a filter: only `direction` and `status`, which Partner Center documents as
 * filterable (partner-center-api.md §1.5). Favourites and `updatedDateTime` ranges are not documented
 * as filters, so the export applies them to what it reads.
 */
export function odataFilter(filter: ReferralFilter): string | undefined {
  const parts = [
    ...(filter.direction ? [`direction eq ${odataStringLiteral(Direction.toApi(filter.direction))}`] : []),
    ...(filter.status ? [`status eq ${odataStringLiteral(ReferralStatus.toApi(filter.status))}`] : []),
  ];
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

export function partnerCenterGateway(client: ReferralClient): ReferralGateway {
  return {
    async *listReferrals(filter) {
      const odata = odataFilter(filter);
      for await (const page of client.list({ orderBy: 'createdDateTime asc', ...(odata ? { filter: odata } : {}) })) yield page.referrals;
    },
    async getReferral(referralId) {
      try {
        return await client.get(referralId);
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async findByEngagementId(engagementId) {
      for await (const page of client.list({ filter: `engagementId eq ${odataStringLiteral(engagementId)}` })) {
        const found = page.referrals.find((r: Referral) => r.engagementId === engagementId);
        if (found) return found;
      }
      return undefined;
    },
    findByExternalReferenceId: (crmId) => client.findByExternalReferenceId(crmId),
    async createReferral(referral) {
      return (await client.createIdempotent(referral)).referral;
    },
    updateReferral: (previous, next) => client.update(previous, next),
  };
}
