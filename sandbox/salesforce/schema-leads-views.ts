/**
 * Two more standard objects of the sandbox org, as the Salesforce Object Reference describes them:
 * - Lead (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm):
 *   Company, LastName and Status are required; conversion (the seller's Convert button, sandbox/consoles)
 *   sets the read-only IsConverted, ConvertedDate, ConvertedAccountId, ConvertedContactId and
 *   ConvertedOpportunityId.
 * - ListView (…/sforce_api_objects_listview.htm): read-only through the REST API, queryable by SobjectType and
 *   DeveloperName; rows are created through the User Interface API's list-info resource (routes/ui-api.ts).
 */
import { field, NO_OPERATIONS, objectDef, owner, readOnly, type ObjectDef } from './schema.js';

/** The default lead status picklist of a new org; "Closed - Converted" is the converted status. */
export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'] as const;
export const CONVERTED_LEAD_STATUS = 'Closed - Converted';

export function leadAndListViewObjects(): ObjectDef[] {
  return [
    objectDef('Lead', '00Q', [
      owner(),
      field({ name: 'FirstName', type: 'string', length: 40 }),
      field({ name: 'LastName', type: 'string', length: 80, required: true }),
      readOnly({ name: 'Name', type: 'string', length: 121 }),
      field({ name: 'Company', type: 'string', length: 255, required: true }),
      field({ name: 'Title', type: 'string', length: 128 }),
      field({ name: 'Email', type: 'email', length: 80 }),
      field({ name: 'Phone', type: 'phone', length: 40 }),
      field({ name: 'Street', type: 'textarea', length: 255 }),
      field({ name: 'City', type: 'string', length: 40 }),
      field({ name: 'State', type: 'string', length: 80 }),
      field({ name: 'PostalCode', type: 'string', length: 20 }),
      field({ name: 'Country', type: 'string', length: 80 }),
      field({ name: 'Description', type: 'textarea', length: 32000 }),
      field({ name: 'AnnualRevenue', type: 'currency' }),
      field({ name: 'LeadSource', type: 'picklist', picklist: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] }),
      field({ name: 'Status', type: 'picklist', picklist: [...LEAD_STATUSES], restricted: true, required: true, defaultValue: 'Open - Not Contacted', label: 'Lead Status' }),
      readOnly({ name: 'IsConverted', type: 'boolean', label: 'Converted', defaultValue: false }),
      readOnly({ name: 'ConvertedDate', type: 'date', label: 'Converted Date' }),
      readOnly({ name: 'ConvertedAccountId', type: 'reference', referenceTo: 'Account', relationshipName: 'ConvertedAccount' }),
      readOnly({ name: 'ConvertedContactId', type: 'reference', referenceTo: 'Contact', relationshipName: 'ConvertedContact' }),
      readOnly({ name: 'ConvertedOpportunityId', type: 'reference', referenceTo: 'Opportunity', relationshipName: 'ConvertedOpportunity' }),
    ], { labelPlural: 'Leads' }),
    objectDef('ListView', '00B', [
      readOnly({ name: 'Name', type: 'string', length: 40, label: 'View Name' }),
      readOnly({ name: 'DeveloperName', type: 'string', length: 80, label: 'View Unique Name' }),
      readOnly({ name: 'SobjectType', type: 'string', length: 40 }),
      readOnly({ name: 'NamespacePrefix', type: 'string', length: 15 }),
    ], { operations: NO_OPERATIONS, label: 'List View' }),
  ];
}
