/**
 * Which referrals are leads. Partner Center's `qualification` (ReferralQualification, partner-center-api.md
 * §1.8) says who qualified a referral: `SalesQualified` by a Microsoft seller, `MarketingQualified` by
 * Microsoft's marketing automation, `Direct` created by a customer, `None` not qualified. Microsoft's own
 * connector syncs "an unaccepted lead … to a CRM Lead; once accepted in Partner Center it syncs as an
 * Opportunity" (partner-center-api.md §2.4). So a lead here is an inbound referral still waiting for our
 * answer whose qualification is known and is not sales-qualified. A partner's P2P invitation is a co-sell
 * deal, never a lead.
 */
import type { Referral } from './referral.js';

export function isPartnerCenterLead(r: Pick<Referral, 'direction' | 'status' | 'dealType' | 'qualification'>): boolean {
  return r.direction === 'inbound' && r.status === 'New' && r.dealType !== 'partner-to-partner' && r.qualification !== undefined && r.qualification !== 'SalesQualified';
}
