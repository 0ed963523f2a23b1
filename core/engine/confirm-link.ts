/**
 * `cosell link CRM-ID REFERRAL-ID`: an admin confirms that a CRM record and a Partner Center referral
 * are the same deal when the two do not name each other (core/engine/binding.ts). Confirmation links them
 * only while the referral has no link yet: neither is linked in the state store, Partner Center names no
 * other CRM record for the referral (a CRM reference the CRM has no record for, such as a bulk CSV
 * import's `csv-…` key, names none), and the record names no other referral. The link is due for a
 * revisit at once, so the next sync reads both sides and merges them (the record's values count as the
 * CRM's changes; the referral ID is written onto the record and the record's ID into Partner Center). The
 * message lists each field that merge replaces in Partner Center, with both values (link-overwrites.ts).
 */
import type { CrmAdapter } from './crm-port.js';
import { NotFoundError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import type { Link, StateStore } from '../store/state-store.js';
import type { PartnerCenterPort } from './ports.js';
import { describeLinkOverwrites, linkOverwrites } from './link-overwrites.js';

export interface ConfirmLinkDeps {
  store: StateStore;
  crm: Pick<CrmAdapter, 'getDeals' | 'fieldLabels'>;
  partnerCenter: Pick<PartnerCenterPort, 'get'>;
  now: () => Date;
}

export type ConfirmLinkResult = { linked: true; already: boolean; message: string } | { linked: false; message: string };

const refused = (message: string): ConfirmLinkResult => ({ linked: false, message });

async function referralOrUndefined(partnerCenter: ConfirmLinkDeps['partnerCenter'], referralId: string): Promise<Referral | undefined> {
  try {
    return await partnerCenter.get(referralId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

export async function confirmLink(deps: ConfirmLinkDeps, crmId: string, referralId: string): Promise<ConfirmLinkResult> {
  const byReferral = deps.store.getLinkByReferralId(referralId);
  if (byReferral?.crmId === crmId) return { linked: true, already: true, message: `CRM record ${crmId} and referral ${referralId} are already linked.` };
  // A referral whose record was deleted goes to the record that replaces it, once the CRM confirms the old one is gone.
  const replaced = byReferral?.state === 'crm-deleted' && (await deps.crm.getDeals([byReferral.crmId])).length === 0 ? byReferral : undefined;
  if (byReferral && !replaced) return refused(`Referral ${referralId} is already linked to CRM record ${byReferral.crmId}. Nothing was changed.`);
  const byRecord = deps.store.getLinkByCrmId(crmId);
  if (byRecord) return refused(`CRM record ${crmId} is already linked to referral ${byRecord.referralId}. Nothing was changed.`);

  const referral = await referralOrUndefined(deps.partnerCenter, referralId);
  if (!referral) return refused(`Partner Center does not show referral ${referralId} to this organisation. Check the ID.`);
  // Partner Center's CRM reference is free text: a bulk CSV import's content key (`csv-…`) or another
  // system's ID names no record here. Only a record the CRM has is "another record"; refusing on any other
  // text left the admin no way out, since the sync's own hint for such a pair is to run this command.
  const [namedRecord] = referral.crmId && referral.crmId !== crmId ? await deps.crm.getDeals([referral.crmId]) : [];
  if (namedRecord) {
    return refused(`Partner Center shows referral ${referralId} with CRM record ${namedRecord.crmId}, not ${crmId}: it is that record's deal. Nothing was changed.`);
  }
  const [deal] = await deps.crm.getDeals([crmId]);
  if (!deal) return refused(`The CRM has no opportunity ${crmId}. Check the ID.`);
  if (deal.referral.referralId && deal.referral.referralId !== referralId) {
    return refused(`CRM record ${crmId} names referral ${deal.referral.referralId}, not ${referralId}. Clear its referral ID first if that is wrong. Nothing was changed.`);
  }

  const nowIso = deps.now().toISOString();
  const link: Link = {
    crmId,
    referralId,
    ...(referral.engagementId ? { engagementId: referral.engagementId } : {}),
    base: referral,
    ...(referral.eTag ? { pcEtag: referral.eTag } : {}),
    ...(referral.updatedAt ? { pcUpdatedAt: referral.updatedAt } : {}),
    state: 'active',
    updatedAt: nowIso,
    // Due now: the next sync revisits the pair without waiting for either side to change.
    heldUntil: nowIso,
  };
  const stored = deps.store.transaction((tx) => {
    // Checked again inside the transaction: a sync may have linked either side meanwhile.
    const current = tx.getLinkByReferralId(referralId);
    if ((current && (!replaced || current.crmId !== replaced.crmId || current.state !== 'crm-deleted')) || tx.getLinkByCrmId(crmId)) return false;
    if (replaced) tx.deleteLink(replaced.crmId);
    tx.putLink(link);
    tx.unpark('crm', crmId);
    tx.unpark('partner-center', referralId);
    return true;
  });
  if (!stored) return refused('A sync linked one of the two meanwhile. Run "cosell status" and try again if needed.');
  // The seller's switch decides for a linked deal too (paused-pair.ts): say so, or the admin waits for a merge that does not come.
  const next = deal.intent.optedIn ? 'The next sync merges them.' : 'The record\'s "Sync with Partner Center" box is unticked: nothing syncs until the seller ticks it, and the sync after that merges them.';
  const replacedReference = referral.crmId && referral.crmId !== crmId ? ` Partner Center's CRM reference "${referral.crmId}" names no CRM record; the merge replaces it with ${crmId}.` : '';
  const overwrites = describeLinkOverwrites(linkOverwrites(deal, referral, deps.crm.fieldLabels));
  return { linked: true, already: false, message: `Linked CRM record ${crmId} to referral ${referralId} ("${referral.dealName}")${replaced ? `, in place of deleted record ${replaced.crmId}` : ''}.${replacedReference} ${next}\n${overwrites}` };
}
