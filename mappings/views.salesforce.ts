/**
 * The Opportunity list views `cosell setup salesforce` creates (issue 19 item 7: the views partners asked
 * for in Microsoft's connector), as data: User Interface API List Info Input bodies
 * (https://developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_requests_list_info_input.htm).
 * The filter values are the ones the connector itself writes onto the record (mappings/fields.salesforce.ts).
 */
import { F } from './custom-fields.salesforce.js';

export interface SalesforceListView {
  listViewApiName: string;
  /** At most 40 characters. */
  label: string;
  displayColumns: string[];
  filteredByInfo: { fieldApiName: string; operandLabels: string[]; operator: 'Equals' | 'StartsWith' }[];
  visibility: 'Public';
}

export const SALESFORCE_LIST_VIEWS: readonly SalesforceListView[] = [
  {
    listViewApiName: 'Cosell_Inbound_Awaiting_Answer',
    label: 'Co-sell: inbound awaiting our answer',
    displayColumns: ['Name', 'Amount', 'CloseDate', F.answerBy, F.referralStatus, F.dealType],
    // The status the connector writes is "Status/Substatus"; New is the only status still awaiting an answer.
    filteredByInfo: [
      { fieldApiName: F.direction, operandLabels: ['Inbound'], operator: 'Equals' },
      { fieldApiName: F.referralStatus, operandLabels: ['New/'], operator: 'StartsWith' },
    ],
    visibility: 'Public',
  },
  {
    listViewApiName: 'Cosell_Outbound_By_Status',
    label: 'Co-sell: outbound by status',
    displayColumns: [F.referralStatus, 'Name', F.dealType, F.microsoftStatus, 'Amount', 'CloseDate', F.syncState],
    filteredByInfo: [{ fieldApiName: F.direction, operandLabels: ['Outbound'], operator: 'Equals' }],
    visibility: 'Public',
  },
  {
    listViewApiName: 'Cosell_Favorites',
    label: 'Co-sell: favorites',
    displayColumns: ['Name', F.direction, F.referralStatus, 'Amount', 'CloseDate'],
    filteredByInfo: [{ fieldApiName: F.favorite, operandLabels: ['true'], operator: 'Equals' }],
    visibility: 'Public',
  },
  {
    listViewApiName: 'Cosell_Parked_With_Errors',
    label: 'Co-sell: parked with errors',
    displayColumns: ['Name', F.syncMessage, F.lastSynced, F.direction],
    filteredByInfo: [{ fieldApiName: F.syncState, operandLabels: ['error'], operator: 'Equals' }],
    visibility: 'Public',
  },
  {
    // Deals Partner Center closed that were edited in the CRM since: the two disagree (docs/sync.md).
    listViewApiName: 'Cosell_Closed_Not_Sent',
    label: 'Co-sell: closed, CRM edits not sent',
    displayColumns: ['Name', F.syncMessage, F.referralStatus, 'Amount', 'CloseDate', F.lastSynced],
    filteredByInfo: [{ fieldApiName: F.syncState, operandLabels: ['closed'], operator: 'Equals' }],
    visibility: 'Public',
  },
];
