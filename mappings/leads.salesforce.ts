/**
 * A lead referral as a Salesforce Lead, as data (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm).
 * Company and LastName are required: the customer's name stands in for a missing contact name. The
 * connector's own Lead fields (installed by setup) carry the referral ID, the Partner Center link, the
 * qualification and the deal name. Converting the lead is the seller's (Convert button); the connector reads
 * IsConverted and ConvertedOpportunityId.
 */
import type { Referral } from '../core/model/referral.js';

export const LEAD_F = {
  referralId: 'Cosell_Referral_Id__c',
  referralLink: 'Cosell_Referral_Link__c',
  qualification: 'Cosell_Qualification__c',
  dealName: 'Cosell_Deal_Name__c',
} as const;

/** Tooling API CustomField bodies for the Lead fields (setup). */
export const LEAD_CUSTOM_FIELDS = [
  { object: 'Lead', name: LEAD_F.referralId, metadata: { label: 'Partner Center referral ID', type: 'Text', length: 64, externalId: true } },
  { object: 'Lead', name: LEAD_F.referralLink, metadata: { label: 'Partner Center link', type: 'Url' } },
  { object: 'Lead', name: LEAD_F.qualification, metadata: { label: 'Partner Center qualification', type: 'Text', length: 40, inlineHelpText: 'How Partner Center qualified this lead: MarketingQualified, Direct (from a customer) or None.' } },
  { object: 'Lead', name: LEAD_F.dealName, metadata: { label: 'Partner Center deal name', type: 'Text', length: 255 } },
];

const cut = (s: string | undefined, n: number) => (s === undefined ? undefined : s.slice(0, n));

/** The Lead's field values for a referral. */
export function leadValues(r: Referral, referralLink: string): Record<string, unknown> {
  const c = r.customer;
  const person = r.customerContact;
  const values: Record<string, unknown> = {
    Company: cut(c.name || r.dealName, 255),
    LastName: cut(person?.lastName || c.name || r.dealName, 80),
    FirstName: cut(person?.firstName, 40),
    Email: person?.email,
    Phone: cut(person?.phone, 40),
    Street: cut([c.addressLine1, c.addressLine2].filter(Boolean).join('\n') || undefined, 255),
    City: cut(c.city, 40),
    State: cut(c.state, 80),
    PostalCode: cut(c.postalCode, 20),
    Country: c.country,
    Description: cut(r.notes, 32_000),
    LeadSource: 'Partner Referral',
    [LEAD_F.referralId]: r.referralId,
    [LEAD_F.referralLink]: referralLink,
    [LEAD_F.qualification]: r.qualification,
    [LEAD_F.dealName]: cut(r.dealName, 255),
  };
  for (const key of Object.keys(values)) if (values[key] === undefined || values[key] === '') delete values[key];
  return values;
}
