/**
 * The Salesforce labels sellers see for each canonical path (`CrmAdapter.fieldLabels`), so that the sync
 * message on an Opportunity names "Amount" or "Billing Country (Account)", not `value` or
 * `customer.country` (core/rules/field-labels.ts). Taken from the effective field table, so that a path
 * pointed at another field (`fieldOverrides`) is named by that field: its standard label when this table
 * knows it, the connector's own field's label, or else its API name (what an admin sees in Setup).
 * Standard labels: Salesforce Object Reference, Opportunity and Account (English).
 */
import { INVITATION_FIELDS, INVITATION_OBJECT_FIELDS, OPPORTUNITY_FIELDS, SOLUTION_FIELDS, SOLUTION_OBJECT_FIELDS, F } from './custom-fields.salesforce.js';
import type { SalesforceFieldRow } from './fields.salesforce.js';
import type { FieldLabels } from '../core/rules/field-labels.js';

/** Standard fields by API name (relationship paths as the field table writes them). */
const STANDARD: Readonly<Record<string, string>> = {
  Name: 'Opportunity Name',
  Amount: 'Amount',
  CurrencyIsoCode: 'Opportunity Currency',
  CloseDate: 'Close Date',
  Description: 'Description',
  StageName: 'Stage',
  CreatedDate: 'Created Date',
  LastModifiedDate: 'Last Modified Date',
  'Account.Name': 'Account Name',
  'Account.BillingStreet': 'Billing Street (Account)',
  'Account.BillingCity': 'Billing City (Account)',
  'Account.BillingState': 'Billing State/Province (Account)',
  'Account.BillingPostalCode': 'Billing Zip/Postal Code (Account)',
  'Account.BillingCountry': 'Billing Country (Account)',
  'Account.DunsNumber': 'D-U-N-S Number (Account)',
};

const labelsOfObject = (fields: readonly { name: string; metadata: { label: string } }[]) => new Map(fields.map((f) => [f.name, f.metadata.label]));
const OPPORTUNITY = labelsOfObject(OPPORTUNITY_FIELDS);
const SOLUTION = labelsOfObject(SOLUTION_OBJECT_FIELDS);
const INVITATION = labelsOfObject(INVITATION_OBJECT_FIELDS);
const opp = (field: string): string => OPPORTUNITY.get(field)!;

/** A child object's fields as `solutions[].price` → its label; `rename` where the canonical key differs from the field's key. */
function itemLabels(path: string, fields: Readonly<Record<string, string>>, labels: ReadonlyMap<string, string>, rename: Readonly<Record<string, string>>): FieldLabels {
  return Object.fromEntries(Object.entries(fields).map(([key, api]) => [`${path}[].${rename[key] ?? key}`, labels.get(api)!]));
}

/**
 * Paths the field table does not carry: the stage (StageName, read through the stage table), the related
 * lists (Opportunity Team, Contact Roles, the connector's child objects) and the status write-back.
 */
const RELATED: FieldLabels = {
  salesStage: 'Stage',
  // Status and substatus are the stage on an Opportunity (Closed Won, Closed Lost) and the connector's reason.
  status: 'Stage',
  substatus: 'Stage',
  referral: 'Opportunity',
  customer: 'Account',
  dealType: opp(F.dealType),
  direction: opp(F.direction),
  microsoft: opp(F.microsoftStatus),
  'intent.optedIn': opp(F.optIn),
  'intent.response': opp(F.response),
  'intent.invitePartnerId': opp(F.invitePartnerId),
  team: 'Opportunity Team',
  'team[]': 'Opportunity Team Member',
  // A team member is a User (or, outside Salesforce, a row of the connector's own field): the User's fields.
  'team[].firstName': 'First Name',
  'team[].lastName': 'Last Name',
  'team[].email': 'Email',
  'team[].phone': 'Phone',
  customerContact: 'Contact Roles (primary contact)',
  'customerContact.firstName': 'First Name (primary contact)',
  'customerContact.lastName': 'Last Name (primary contact)',
  'customerContact.email': 'Email (primary contact)',
  'customerContact.phone': 'Phone (primary contact)',
  solutions: 'Co-sell Solutions',
  'solutions[]': 'Co-sell Solution',
  ...itemLabels('solutions', SOLUTION_FIELDS, SOLUTION, { solutionId: 'id' }),
  invitations: 'Co-sell Partner Invitations',
  'invitations[]': 'Co-sell Partner Invitation',
  ...itemLabels('invitations', INVITATION_FIELDS, INVITATION, { solutionIds: 'solutions' }),
};

/** Canonical path → the label of the Salesforce field behind it, for the rows in use. */
export function labelsOf(rows: readonly SalesforceFieldRow[]): FieldLabels {
  const labels: Record<string, string> = { ...RELATED };
  for (const row of rows) labels[row.canonical] = STANDARD[row.field] ?? OPPORTUNITY.get(row.field) ?? row.field;
  return labels;
}
