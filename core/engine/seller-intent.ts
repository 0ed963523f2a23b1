/**
 * A seller's answer to an inbound referral, given in the CRM, becomes the status move Partner Center
 * expects: accept → Active/Accepted, decline → Closed/Declined (with the reason the seller chose).
 *
 * A seller who drops a referral the CRM's own way closes the record as lost; Partner Center cannot lose a
 * referral no one accepted and the record says so (core/rules/status.ts). Their Decline answer given then,
 * on the record that stays closed, is the decline: read as Closed/Lost it was refused run after run. A
 * referral already accepted can no longer be declined, only lost: a Decline then is refused on the record.
 */
import type { CrmDeal } from './crm-port.js';
import type { Referral } from '../model/referral.js';

export function referralWithIntent(deal: CrmDeal, base?: Referral): Referral {
  const r = deal.referral;
  // Once accepted (the base, when there is one, says so), a lost close is a loss whatever the answer says.
  const neverAccepted = !base || base.status === 'New';
  if (deal.intent.response === 'decline' && r.status === 'Closed' && r.substatus === 'Lost' && neverAccepted) return { ...r, substatus: 'Declined' };
  // A Decline given after accepting is that move, for the rules to refuse with what to do instead (close it
  // as lost); ignored, the record said "synced" beside a referral still active.
  if (deal.intent.response === 'decline' && r.status === 'Active' && base?.status === 'Active') return { ...r, status: 'Closed', substatus: 'Declined' };
  if (r.status !== 'New' || !deal.intent.response) return r;
  return deal.intent.response === 'accept'
    ? { ...r, status: 'Active', substatus: 'Accepted', salesStage: r.salesStage ?? 'Accepted' }
    : { ...r, status: 'Closed', substatus: 'Declined' };
}
