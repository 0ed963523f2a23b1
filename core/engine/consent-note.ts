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
  // Told beside other notes too, in full or in short (withConsentNote), so looked for within the message.
  if (pcBefore.customerContact || (lastMessage !== undefined && [CONTACT_REMOVED, SHORT[CONTACT_REMOVED]!].some((note) => lastMessage.includes(note)))) return CONTACT_REMOVED;
  return CONTACT_WITHHELD;
}

/**
 * Each note in a few words, still naming the box: for a message that carries another note first (a seller's
 * edit replaced or not sent), within the CRM's message field (Salesforce keeps 255 characters).
 */
const SHORT: Readonly<Record<string, string>> = {
  [CONTACT_REMOVED]: `Contact removed: tick "${CONSENT_FIELD_LABEL}" to resend.`,
  [CONTACT_WITHHELD]: `Contact not sent: tick "${CONSENT_FIELD_LABEL}" to send it.`,
  [CONTACT_STILL_IN_PARTNER_CENTER]: `Partner Center still has the contact; "${CONSENT_FIELD_LABEL}" is unticked.`,
};

/**
 * `message` (the other notes, most important first) with the consent note after it: in full, or in short
 * when in full it would not fit the CRM's message field (`limit`), so that the seller sees both.
 */
export function withConsentNote(message: string, note: string, limit: number | undefined): string {
  const full = [message, note].filter(Boolean).join(' ');
  if (!message || !note || limit === undefined || full.length <= limit) return full;
  return `${message} ${SHORT[note] ?? note}`;
}

/** Every consent note, in full and in short, in the order withoutConsentNote takes them out. */
const CONSENT_NOTES: readonly string[] = [...Object.keys(SHORT), ...Object.values(SHORT)];

/** A record's message without the consent note it carries, in full or in short, if any: the other notes it told. */
export function withoutConsentNote(message: string): string {
  // The notes listed once, not per call: it runs for every pair's last status.
  if (message === '') return message;
  return CONSENT_NOTES.reduce((rest, note) => rest.replace(note, ''), message).replace(/ {2,}/g, ' ').trim();
}
