/**
 * The CSV columns whose value goes straight into one field of the referral, as data: which field each sets
 * and how (build.ts applies them; status, stage, help, the contact and the families are built there).
 */
import type { Customer, Referral } from '../model/index.js';
import * as C from './columns.js';
import type { ColumnSpec } from './columns.js';

/** Sets one field from a parsed cell (undefined: the cell was blank). */
export type Apply = (r: Referral, value: unknown) => void;

function setCustomer(key: Exclude<keyof Customer, 'name'>): Apply {
  return (r, v) => {
    if (v === undefined) delete r.customer[key];
    else r.customer[key] = key === 'country' ? String(v).toUpperCase() : String(v);
  };
}

function setTop<K extends 'closeReason' | 'value' | 'currency' | 'closeDate' | 'crmId' | 'marketingCampaignId' | 'notes' | 'notesToMicrosoft'>(key: K): Apply {
  return (r, v) => {
    if (v === undefined) delete r[key];
    else r[key] = (key === 'currency' ? String(v).toUpperCase() : v) as Referral[K];
  };
}

/** Columns whose value goes straight into one field. Status, stage, help, contact and families are special. */
export const SIMPLE = new Map<ColumnSpec, Apply>([
  [C.DEAL_NAME, (r, v) => (r.dealName = (v as string | undefined) ?? '')],
  [C.CUSTOMER_NAME, (r, v) => (r.customer.name = (v as string | undefined) ?? '')],
  [C.ADDRESS_LINE_1, setCustomer('addressLine1')],
  [C.ADDRESS_LINE_2, setCustomer('addressLine2')],
  [C.CITY, setCustomer('city')],
  [C.STATE, setCustomer('state')],
  [C.POSTAL_CODE, setCustomer('postalCode')],
  [C.COUNTRY, setCustomer('country')],
  [C.DUNS, setCustomer('duns')],
  [C.CLOSE_REASON, setTop('closeReason')],
  [C.DEAL_VALUE, setTop('value')],
  [C.CURRENCY, setTop('currency')],
  [C.CLOSE_DATE, setTop('closeDate')],
  [C.CRM_ID, setTop('crmId')],
  [C.CAMPAIGN_ID, setTop('marketingCampaignId')],
  [C.NOTES, setTop('notes')],
  [C.NOTES_TO_MICROSOFT, setTop('notesToMicrosoft')],
  [C.SHARE, (r, v) => (r.shareWithMicrosoftSellers = v === true)],
  [C.CONSENT, (r, v) => (r.consentToShareContacts = v === true)],
]);

export const CONTACT_COLUMNS = [
  [C.CONTACT_FIRST_NAME, 'firstName'],
  [C.CONTACT_LAST_NAME, 'lastName'],
  [C.CONTACT_PHONE, 'phone'],
  [C.CONTACT_EMAIL, 'email'],
] as const;

