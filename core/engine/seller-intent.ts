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
import { isTerminal } from '../rules/index.js';

/**
 * An open record whose close the connector wrote and never finished (an older version created a referral
 * already closed as an open opportunity) holds no seller's reopen: its opinion is the final state the link
 * holds, and the merge writes that state to the record, which closes it. A record the seller did reopen is
 * not marked so (the CRM adapter tells the two apart) and stays a reopen, which is not sent.
 */
function unfinishedClose(deal: CrmDeal, base: Referral | undefined): Referral | undefined {
  const stated = deal.unfinishedClose;
  if (!stated || !base || deal.referral.status === 'Closed' || !isTerminal(base) || stated.status !== base.status || stated.substatus !== base.substatus) return undefined;
  // The whole status unit from the link (merge/units.ts): the record's reason columns are no edit either.
  return { ...deal.referral, status: base.status, substatus: base.substatus, closeReason: base.closeReason, closeNotes: base.closeNotes };
}

export function referralWithIntent(deal: CrmDeal, base?: Referral): Referral {
  const finishing = unfinishedClose(deal, base);
  if (finishing) return finishing;
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
