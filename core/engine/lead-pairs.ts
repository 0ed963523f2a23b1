/**
 * A lead not converted yet, synced as a pair like any opportunity (issue 19 item 6). Until the seller
 * converts it, Partner Center owns what the lead shows of the referral: the lead is a deal whose referral
 * fields are the link's base, so the merge sends Partner Center's changes (Microsoft's edits, an expiry, an
 * answer given in Partner Center, a close) onto the lead with the sync status, and nothing of the lead's own
 * fields back. The seller's answer given on the lead (accept, or decline with its reason) is the deal's
 * intent, and reaches Partner Center through the same rules as an answer given on an opportunity.
 */
import type { CrmDeal, CrmLead } from './crm-port.js';
import type { Link } from '../store/state-store.js';
import type { PairResult } from './pair.js';

export function leadAsDeal(link: Link, lead?: CrmLead): CrmDeal {
  const response = lead?.response;
  return {
    crmId: link.crmId,
    modifiedAt: lead?.modifiedAt ?? link.crmModifiedAt ?? link.updatedAt,
    intent: { optedIn: true, ...(response ? { response } : {}) },
    referral: { ...link.base, ...(response === 'decline' && lead?.closeReason ? { closeReason: lead.closeReason } : {}) },
    problems: [],
  };
}

/** The pair's CRM write, sent to the lead (through the adapter's lead mapping). */
export function writtenToLead(pair: PairResult): PairResult {
  const write = pair.crmWrite;
  return write && write.kind !== 'create' ? { ...pair, crmWrite: { ...write, target: 'lead' } } : pair;
}
