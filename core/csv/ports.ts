/**
 * The narrow port the CSV import and export need from Partner Center. The Partner Center client is
 * adapted to it in partner-center-gateway.ts; tests use an in-memory implementation that applies the
 * real rules (test/csv/helpers/memory-gateway.ts).
 */
import type { Direction, Referral, ReferralStatus } from '../model/index.js';

export interface ReferralFilter {
  /** The Inbound or Outbound tab ("The export function takes in to account the current tab"). */
  direction?: Direction;
  /** Only favourites. */
  favorites?: boolean;
  status?: ReferralStatus;
  /** Only referrals updated at or after this instant (ISO 8601). */
  since?: string;
}

export interface ReferralGateway {
  /** Pages of referrals. The gateway may filter on the server; callers filter again to be sure. */
  listReferrals(filter: ReferralFilter): AsyncIterable<Referral[]>;
  /** The referral with this Referral ID, or undefined when there is none. */
  getReferral(referralId: string): Promise<Referral | undefined>;
  /** Our referral in this engagement, or undefined when there is none. */
  findByEngagementId(engagementId: string): Promise<Referral | undefined>;
  /** The referral whose `externalReferenceId` (canonical `crmId`) is this, or undefined. */
  findByExternalReferenceId(crmId: string): Promise<Referral | undefined>;
  /** Creates the deal; resolves to the referral as Partner Center holds it (with its IDs). */
  createReferral(referral: Referral): Promise<Referral>;
  /** Sends the change from `previous` (as read) to `next`; resolves to the updated referral. */
  updateReferral(previous: Referral, next: Referral): Promise<Referral>;
}

/** Whether a referral passes an export filter. Pure. */
export function matchesFilter(referral: Referral, filter: ReferralFilter): boolean {
  if (filter.direction && referral.direction !== filter.direction) return false;
  if (filter.favorites && !referral.favorite) return false;
  if (filter.status && referral.status !== filter.status) return false;
  if (filter.since) {
    const updated = Date.parse(referral.updatedAt ?? referral.createdAt ?? '');
    if (!(updated >= Date.parse(filter.since))) return false;
  }
  return true;
}
