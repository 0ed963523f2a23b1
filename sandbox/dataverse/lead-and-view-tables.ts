/**
 * Two more standard tables of a fresh environment, with the columns of Microsoft's table references:
 * - lead (https://learn.microsoft.com/dynamics365/sales/developer/entities/lead): statecode 0 Open,
 *   1 Qualified, 2 Disqualified; qualifying it (the seller's Qualify button, or the QualifyLead action)
 *   creates an opportunity whose `originatingleadid` names the lead and sets the lead's
 *   `qualifyingopportunityid` (sandbox/dataverse/console.ts plays the seller's Qualify).
 * - businessunit (…/reference/entities/businessunit): a user's `businessunitid`; a record's read-only
 *   `owningbusinessunit` is its owner's business unit, set by the platform on every save.
 * - savedquery (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/savedquery):
 *   system views, created with POST /savedqueries; `returnedtypecode` is the table's logical name.
 */
import { addColumn, collection, column, lookup, table, type ColumnDef, type TableDef } from './schema.js';

const text = (maxLength: number): Partial<ColumnDef> => ({ maxLength });

/** Lead statecode values. */
export const LEAD_STATE = { open: 0, qualified: 1, disqualified: 2 } as const;
/** Lead statuscode "Qualified" (statecode 1). */
export const LEAD_STATUS_QUALIFIED = 3;

/** The lead, savedquery and businessunit tables, and the columns the standard tables have that point to them. */
export function leadAndViewTables(standard: readonly TableDef[]): TableDef[] {
  const [opportunity, systemuser, account, contact] = ['opportunity', 'systemuser', 'account', 'contact'].map((name) => standard.find((t) => t.logicalName === name)!);
  const lead = table('lead', 'leads', 'fullname', [
    ['subject', 'String', text(300)],
    ['firstname', 'String', text(50)],
    ['lastname', 'String', text(50)],
    ['fullname', 'String', { maxLength: 160, readOnly: true }],
    ['companyname', 'String', text(100)],
    ['jobtitle', 'String', text(100)],
    ['emailaddress1', 'String', text(100)],
    ['telephone1', 'String', text(50)],
    ['address1_line1', 'String', text(250)],
    ['address1_city', 'String', text(80)],
    ['address1_stateorprovince', 'String', text(50)],
    ['address1_postalcode', 'String', text(20)],
    ['address1_country', 'String', text(80)],
    ['description', 'Memo', text(2000)],
    ['budgetamount', 'Money', { precision: 4 }],
    ['estimatedclosedate', 'DateTime', { dateOnly: true }],
    ['leadsourcecode', 'Picklist', { options: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }],
    ['qualifyingopportunityid', 'Lookup', lookup({ qualifyingopportunityid: 'opportunity' })],
    ['parentaccountid', 'Lookup', lookup({ parentaccountid: 'account' })],
    ['parentcontactid', 'Lookup', lookup({ parentcontactid: 'contact' })],
    ['transactioncurrencyid', 'Lookup', lookup({ transactioncurrencyid: 'transactioncurrency' })],
  ]);
  const savedquery = table('savedquery', 'savedqueries', 'name', [
    ['name', 'String', text(200)],
    ['description', 'Memo', text(2000)],
    ['returnedtypecode', 'String', text(64)],
    ['querytype', 'Integer'],
    ['fetchxml', 'Memo', text(1_048_576)],
    ['layoutxml', 'Memo', text(1_048_576)],
    ['isdefault', 'Boolean'],
    ['iscustomizable', 'Boolean'],
  ], { changeTracking: false });
  // The opportunity a lead became: opportunity.originatingleadid (and its collection on the lead).
  addColumn(opportunity!, column('originatingleadid', 'Lookup', lookup({ originatingleadid: 'lead' })));
  collection(lead, 'lead_qualifying_opportunity', 'opportunity', 'originatingleadid');
  // The account and contact a lead became (account_originating_lead, contact_originating_lead in the lead
  // table reference); the $batch page's "Reference URIs in request body" sample binds account.originatingleadid.
  addColumn(account!, column('originatingleadid', 'Lookup', lookup({ originatingleadid: 'lead' })));
  addColumn(contact!, column('originatingleadid', 'Lookup', lookup({ originatingleadid: 'lead' })));
  collection(lead, 'account_originating_lead', 'account', 'originatingleadid');
  collection(lead, 'contact_originating_lead', 'contact', 'originatingleadid');
  const businessunit = table('businessunit', 'businessunits', 'name', [['name', 'String', text(160)]], { changeTracking: false });
  addColumn(systemuser!, column('businessunitid', 'Lookup', lookup({ businessunitid: 'businessunit' })));
  addColumn(opportunity!, column('owningbusinessunit', 'Lookup', { ...lookup({ owningbusinessunit: 'businessunit' }), readOnly: true }));
  return [lead, savedquery, businessunit];
}
