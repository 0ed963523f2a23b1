/**
 * A seller's answer to an inbound referral, given in the CRM, becomes the status move Partner Center
 * expects: accept → Active/Accepted, decline → Closed/Declined (with the reason the seller chose).
 */
import type { CrmDeal } from './crm-port.js';
import type { Referral } from '../model/referral.js';

export function referralWithIntent(deal: CrmDeal): Referral {
  const r = deal.referral;
  if (r.status !== 'New' || !deal.intent.response) return r;
  return deal.intent.response === 'accept'
    ? { ...r, status: 'Active', substatus: 'Accepted', salesStage: r.salesStage ?? 'Accepted' }
    : { ...r, status: 'Closed', substatus: 'Declined' };
}
