/**
 * What leaves the CRM for Partner Center, before any rule is checked: the CRM's view of a deal (the
 * seller's pending answer applied, shortened text restored) and the referral a create or an update would
 * send, without the customer contact while consent is not given (core/model/consent.ts).
 *
 * The sync (crm-phase.ts, pair-decide.ts) and `cosell explain` (explain-pair.ts) both decide with these,
 * so explain's verdict cannot drift from what a sync then does. Pure.
 */
import type { CrmDeal } from './crm-port.js';
import { contactWithheld, shareableReferral } from '../model/consent.js';
import type { Referral } from '../model/referral.js';
import { locationForNewDeal, type LocationDefaults } from './deal-location.js';
import type { MergeInput } from './merge/three-way.js';
import { withUnits } from './merge/units.js';
import { referralWithIntent } from './seller-intent.js';
import { restoreShortened } from './shorten.js';

export interface LinkedCrmViews {
  /** The seller's view: pending answer applied, shortened text restored, the contact still there. */
  crmSeen: Referral;
  /** What the merge sees: `crmSeen` without the contact consent keeps back (the CRM has no opinion on it). */
  crmView: Referral;
  /** What the record itself holds, without the seller's pending answer. */
  crmHolds: Referral;
}

/** The CRM's views of a linked deal, against the link's base. */
export function linkedCrmViews(deal: CrmDeal, base: Referral): LinkedCrmViews {
  // A text the CRM holds shortened (shorten.ts) is the base's full text, not an edit to send back.
  const crmSeen = restoreShortened({ ...referralWithIntent(deal, base), crmId: deal.referral.crmId ?? deal.crmId }, base);
  // Without consent the CRM has no opinion on the customer contact: it never leaves the CRM (issue 14).
  const crmView = shareableReferral(crmSeen);
  const crmHolds = restoreShortened({ ...deal.referral, crmId: crmView.crmId }, base);
  return { crmSeen, crmView, crmHolds };
}

/**
 * The merge's input for a linked pair: the views above, the record's cleared fields and whether it keeps
 * Partner Center's invitation reports. One builder for the sync and `cosell explain`: each flag the CRM
 * gives the merge was added to both by hand before, and a flag added to one alone makes explain's verdict
 * differ from the sync's.
 */
export function linkedMergeInput(deal: CrmDeal, base: Referral, views: LinkedCrmViews, pc: Referral, policy: MergeInput['policy']): MergeInput {
  return {
    base,
    crm: views.crmView,
    crmHolds: views.crmHolds,
    pc,
    policy,
    crmModifiedAt: deal.modifiedAt,
    pcUpdatedAt: pc.updatedAt,
    ...(deal.cleared ? { crmCleared: deal.cleared } : {}),
    // Partner Center lacks a contact consent keeps back because the CRM never sent it: no removal.
    ...(contactWithheld(views.crmSeen) ? { pcWithheld: ['customerContact'] } : {}),
    crmKeepsInvitationReports: deal.keepsInvitationReports === true,
  };
}

/**
 * The referral a create would send for an unlinked deal, with the location it gets (a record naming none
 * gets the defaults'). Without consent the contact stays in the CRM; the rules then say whether Partner
 * Center takes the deal without it (a co-sell deal needs one).
 */
export function newReferralDraft(deal: CrmDeal, defaults: LocationDefaults): Referral {
  const seen = referralWithIntent(deal);
  const location = locationForNewDeal({ ...deal, referral: seen }, defaults);
  return shareableReferral({ ...seen, crmId: deal.crmId, direction: 'outbound' as const, ...(location ? { location } : {}) });
}

/**
 * The referral an update would send: Partner Center's current one with the merged units written in and
 * the deal type the merged answers make (derived, not a unit). Without consent a contact Partner Center
 * holds is removed (JSON Patch `replace /customerProfile/team []`, since there is no `remove`; whether the
 * live API takes it is UNVERIFIED, partner-center-api.md §5 item 6 — a refusal parks the record).
 */
export function referralUpdate(pcCurrent: Referral, merged: Referral, units: readonly string[]): Referral {
  return shareableReferral({ ...withUnits(pcCurrent, merged, units), dealType: merged.dealType });
}
