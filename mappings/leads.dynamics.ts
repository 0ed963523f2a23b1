/**
 * A lead referral as a Dataverse lead, as data (https://learn.microsoft.com/dynamics365/sales/developer/entities/lead):
 * the standard columns Microsoft's own 2019 sample fills (subject, companyname, firstname/lastname,
 * budgetamount; partner-center-api.md §2.4) and the connector's columns (installed on lead by setup) for the
 * referral ID, the Partner Center link and the qualification. Qualifying the lead is the seller's; the
 * connector reads statecode and qualifyingopportunityid.
 */
import type { ColumnKind } from './fields.dynamics.js';
import type { Referral } from '../core/model/referral.js';

/** The connector's own lead columns, `{prefix}` replaced by the publisher prefix. */
export const LEAD_COLUMNS: readonly { column: string; kind: ColumnKind; label: string; maxLength?: number }[] = [
  { column: '{prefix}referralid', kind: 'string', label: 'Partner Center Referral ID', maxLength: 100 },
  { column: '{prefix}referrallink', kind: 'string', label: 'Partner Center Referral Link', maxLength: 500 },
  { column: '{prefix}qualification', kind: 'string', label: 'Partner Center Qualification', maxLength: 40 },
];

const cut = (s: string | undefined, n: number) => (s === undefined ? undefined : s.slice(0, n));

export function leadBody(r: Referral, prefix: string, referralLink: string): Record<string, unknown> {
  const c = r.customer;
  const person = r.customerContact;
  const body: Record<string, unknown> = {
    subject: cut(r.dealName, 300),
    companyname: cut(c.name, 100),
    firstname: cut(person?.firstName, 50),
    lastname: cut(person?.lastName || c.name, 50),
    emailaddress1: cut(person?.email, 100),
    telephone1: cut(person?.phone, 50),
    address1_line1: cut(c.addressLine1, 250),
    address1_city: cut(c.city, 80),
    address1_stateorprovince: cut(c.state, 50),
    address1_postalcode: cut(c.postalCode, 20),
    address1_country: cut(c.country, 80),
    description: cut(r.notes, 2000),
    budgetamount: r.value,
    estimatedclosedate: r.closeDate,
    [`${prefix}referralid`]: r.referralId,
    [`${prefix}referrallink`]: cut(referralLink, 500),
    [`${prefix}qualification`]: r.qualification,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined || body[key] === '') delete body[key];
  return body;
}
