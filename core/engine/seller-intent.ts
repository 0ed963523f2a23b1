/**
 * A seller's answer to an inbound referral, given in the CRM, becomes the status move Partner Center
 * expects: accept → Active/Accepted, decline → Closed/Declined (with the reason the seller chose).
 *
 * A seller who drops a referral the CRM's own way closes the record as lost; Partner Center cannot lose a
 * referral no one accepted and the record says so (core/rules/status.ts). Their Decline answer given then,
 * on the record that stays closed, is the decline: read as Closed/Lost it was refused run after run.
 */
import type { CrmDeal } from './crm-port.js';
import type { Referral } from '../model/referral.js';

export function referralWithIntent(deal: CrmDeal): Referral {
  const r = deal.referral;
  if (deal.intent.response === 'decline' && r.status === 'Closed' && r.substatus === 'Lost') return { ...r, substatus: 'Declined' };
  if (r.status !== 'New' || !deal.intent.response) return r;
  return deal.intent.response === 'accept'
    ? { ...r, status: 'Active', substatus: 'Accepted', salesStage: r.salesStage ?? 'Accepted' }
    : { ...r, status: 'Closed', substatus: 'Declined' };
}
