/**
 * Consent to share contacts, as data. The CRM's consent field (Salesforce checkbox, Dynamics two-option
 * column, both installed by `setup`) is the only source: consent is never inferred from "Sync with
 * Partner Center" or from the deal's direction.
 *
 * What it gates: the customer's contact (name, email, phone; Partner Center's `customerProfile.team`).
 * Seed "Creating a Co-sell opportunity": "Be sure that you have obtained the customer's consent to provide
 * their contact information to Microsoft for the deal. Microsoft may use this information to contact the
 * customer directly." While consent is not given, the referral leaves the CRM without that contact.
 *
 * What it does not gate: the partner's own team members. They are the partner's employees, and Partner
 * Center needs at least one to create any deal (seed "Add team members"), so they are always sent.
 *
 * Where Partner Center then refuses the deal (co-sell needs a customer contact; a bulk CSV row with
 * consent = No), core/rules says so with a message naming the field below.
 */
import type { Referral } from './referral.js';

/** The label both CRMs show for the consent field (Salesforce `Cosell_Consent_To_Share_Contacts__c`, Dynamics `{prefix}consent`). */
export const CONSENT_FIELD_LABEL = 'Consent to share contacts';

/** True when the CRM holds a customer contact that consent keeps back. */
export function contactWithheld(referral: Referral): boolean {
  return !referral.consentToShareContacts && referral.customerContact !== undefined;
}

/** The referral as it may leave the CRM: without the customer contact while consent is not given. */
export function shareableReferral(referral: Referral): Referral {
  if (!contactWithheld(referral)) return referral;
  const { customerContact: _withheld, ...rest } = referral;
  return rest;
}
