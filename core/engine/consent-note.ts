/**
 * What the CRM record says about a customer contact that consent keeps back (core/model/consent.ts).
 * Pure: the sync status message for a pair whose consent is not given, or '' when there is nothing to say.
 */
import { CONSENT_FIELD_LABEL, contactWithheld } from '../model/consent.js';
import type { Referral } from '../model/referral.js';

export const CONTACT_REMOVED =
  `The customer contact was removed from the referral in Partner Center because "${CONSENT_FIELD_LABEL}" is not ticked; it stays in the CRM and is sent again once the box is ticked.`;
export const CONTACT_WITHHELD = `In Partner Center without the customer contact: "${CONSENT_FIELD_LABEL}" is not ticked, so the contact stays in the CRM.`;
export const CONTACT_STILL_IN_PARTNER_CENTER =
  `Partner Center still shows a customer contact for this deal although "${CONSENT_FIELD_LABEL}" is not ticked (Partner Center set it, or did not take the removal); remove it in Partner Center if the customer asked.`;

/**
 * @param crm the CRM record as it holds the deal (with the contact, before consent keeps it back)
 * @param pcBefore Partner Center's referral before this sync's write, `pcAfter` after it
 * @param lastMessage the record's current status message: the removal note stays while nothing else changes
 */
export function consentNote(crm: Referral, pcBefore: Referral, pcAfter: Referral, lastMessage: string | undefined): string {
  if (!contactWithheld(crm)) return '';
  if (pcAfter.customerContact) return CONTACT_STILL_IN_PARTNER_CENTER;
  if (pcBefore.customerContact || lastMessage === CONTACT_REMOVED) return CONTACT_REMOVED;
  return CONTACT_WITHHELD;
}
