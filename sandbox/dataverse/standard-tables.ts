/**
 * The standard tables a fresh environment has, with the standard columns and types of Microsoft's table
 * references (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/account,
 * …/contact, …/systemuser, …/team, …/task, and https://learn.microsoft.com/dynamics365/sales/developer/entities/opportunity),
 * so that the documentation's own samples (the account create with creditonhold, address1_latitude,
 * revenue, accountcategorycode…) run unchanged. Lookups are declared with their single-valued navigation
 * properties; the collection-valued ones the samples use are declared at the end.
 */
import { collection, lookup, table, type ColumnDef, type ColumnType, type TableDef } from './schema.js';

type Spec = [name: string, type: ColumnType, extra?: Partial<ColumnDef>];

const text = (maxLength: number): Partial<ColumnDef> => ({ maxLength });
const memo: Spec[1] = 'Memo';
/** Money columns are stored with four decimal places (the API answers 5000000.0000). */
const money: Partial<ColumnDef> = { precision: 4 };
const choice = (...options: number[]): Partial<ColumnDef> => ({ options });
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** address1_* as account and contact have them. */
const address1: Spec[] = [
  ['address1_line1', 'String', text(250)],
  ['address1_line2', 'String', text(250)],
  ['address1_city', 'String', text(80)],
  ['address1_stateorprovince', 'String', text(50)],
  ['address1_postalcode', 'String', text(20)],
  ['address1_country', 'String', text(80)],
  ['address1_telephone1', 'String', text(50)],
  // Float columns with a precision of 5 (the documentation's 47.639583 comes back as 47.63958).
  ['address1_latitude', 'Double', { precision: 5 }],
  ['address1_longitude', 'Double', { precision: 5 }],
];

const currency: Spec = ['transactioncurrencyid', 'Lookup', lookup({ transactioncurrencyid: 'transactioncurrency' })];

export function standardTables(): TableDef[] {
  const opportunity = table('opportunity', 'opportunities', 'name', [
    ['name', 'String', text(300)],
    ['description', memo, text(2000)],
    ['currentsituation', memo, text(2000)],
    ['customerneed', memo, text(2000)],
    ['proposedsolution', memo, text(2000)],
    ['estimatedvalue', 'Money', money],
    ['actualvalue', 'Money', money],
    ['budgetamount', 'Money', money],
    ['estimatedclosedate', 'DateTime', { dateOnly: true }],
    ['actualclosedate', 'DateTime', { dateOnly: true }],
    ['closeprobability', 'Integer'],
    ['opportunityratingcode', 'Picklist', choice(1, 2, 3)],
    ['purchasetimeframe', 'Picklist', choice(0, 1, 2, 3, 4)],
    ['purchaseprocess', 'Picklist', choice(0, 1, 2)],
    ['salesstage', 'Picklist', choice(0, 1, 2, 3)],
    ['stepname', 'String', text(200)],
    ['msdyn_forecastcategory', 'Picklist', choice(100000001, 100000002, 100000003, 100000004, 100000005, 100000006)],
    ['parentaccountid', 'Lookup', lookup({ parentaccountid: 'account' })],
    ['parentcontactid', 'Lookup', lookup({ parentcontactid: 'contact' })],
    ['customerid', 'Customer', lookup({ customerid_account: 'account', customerid_contact: 'contact' })],
    currency,
    ['stageid', 'Uniqueidentifier'],
    ['processid', 'Uniqueidentifier'],
  ]);
  const account = table('account', 'accounts', 'name', [
    ['name', 'String', text(160)],
    ['accountnumber', 'String', text(20)],
    ['description', memo, text(2000)],
    ['creditonhold', 'Boolean'],
    ['creditlimit', 'Money', money],
    ['revenue', 'Money', money],
    ['numberofemployees', 'Integer'],
    ['accountcategorycode', 'Picklist', choice(1, 2)],
    ['customertypecode', 'Picklist', choice(...range(1, 12))],
    ['industrycode', 'Picklist', choice(...range(1, 33))],
    ['preferredcontactmethodcode', 'Picklist', choice(1, 2, 3, 4, 5)],
    ['donotphone', 'Boolean'],
    ['donotemail', 'Boolean'],
    ...address1,
    ['telephone1', 'String', text(50)],
    ['fax', 'String', text(50)],
    ['emailaddress1', 'String', text(100)],
    ['websiteurl', 'String', text(200)],
    ['primarycontactid', 'Lookup', lookup({ primarycontactid: 'contact' })],
    ['parentaccountid', 'Lookup', lookup({ parentaccountid: 'account' })],
    currency,
    // The org's own customisation (default publisher prefix new_): D-U-N-S numbers it already keeps.
    ['new_dunsnumber', 'String', { maxLength: 20, custom: true, schemaName: 'new_DunsNumber' }],
  ]);
  const contact = table('contact', 'contacts', 'fullname', [
    ['firstname', 'String', text(50)],
    ['middlename', 'String', text(50)],
    ['lastname', 'String', text(50)],
    ['fullname', 'String', { maxLength: 160, readOnly: true }],
    ['description', memo, text(2000)],
    ['emailaddress1', 'String', text(100)],
    ['telephone1', 'String', text(50)],
    ['mobilephone', 'String', text(50)],
    ['jobtitle', 'String', text(100)],
    ['birthdate', 'DateTime', { dateOnly: true }],
    ['annualincome', 'Money', money],
    ['creditonhold', 'Boolean'],
    ['donotemail', 'Boolean'],
    ['accountrolecode', 'Picklist', choice(1, 2, 3)],
    ['gendercode', 'Picklist', choice(1, 2)],
    ...address1,
    ['parentcustomerid', 'Customer', lookup({ parentcustomerid_account: 'account', parentcustomerid_contact: 'contact' })],
    currency,
  ]);
  const task = table('task', 'tasks', 'subject', [
    ['subject', 'String', text(200)],
    ['description', memo, text(2000)],
    ['scheduledend', 'DateTime'],
    ['prioritycode', 'Picklist', choice(0, 1, 2)],
    ['percentcomplete', 'Integer'],
    ['regardingobjectid', 'Lookup', lookup({ regardingobjectid_account_task: 'account', regardingobjectid_contact_task: 'contact', regardingobjectid_opportunity_task: 'opportunity' })],
  ], { key: 'activityid' });
  collection(account, 'Account_Tasks', 'task', 'regardingobjectid');
  collection(contact, 'Contact_Tasks', 'task', 'regardingobjectid');
  collection(opportunity, 'Opportunity_Tasks', 'task', 'regardingobjectid');
  collection(account, 'contact_customer_accounts', 'contact', 'parentcustomerid');
  collection(account, 'opportunity_customer_accounts', 'opportunity', 'customerid');
  return [
    opportunity,
    account,
    contact,
    task,
    table('systemuser', 'systemusers', 'fullname', [
      ['firstname', 'String', text(256)],
      ['lastname', 'String', text(256)],
      ['fullname', 'String', { maxLength: 200, readOnly: true }],
      ['domainname', 'String', text(1024)],
      ['internalemailaddress', 'String', text(100)],
      ['title', 'String', text(128)],
      ['mobilephone', 'String', text(64)],
      ['address1_telephone1', 'String', text(64)],
      ['azureactivedirectoryobjectid', 'Uniqueidentifier'],
      ['applicationid', 'Uniqueidentifier'],
      ['accessmode', 'Picklist', choice(0, 1, 2, 3, 4, 5)],
      ['isdisabled', 'Boolean'],
    ], { changeTracking: false }),
    table('team', 'teams', 'name', [
      ['name', 'String', text(160)],
      ['description', memo, text(2000)],
      ['emailaddress', 'String', text(100)],
      ['teamtype', 'Picklist', choice(0, 1, 2, 3)],
      ['membershiptype', 'Picklist', choice(0, 1, 2, 3)],
      ['isdefault', 'Boolean'],
      ['azureactivedirectoryobjectid', 'Uniqueidentifier'],
      ['administratorid', 'Lookup', lookup({ administratorid: 'systemuser' })],
    ]),
    table('transactioncurrency', 'transactioncurrencies', 'currencyname', [
      ['currencyname', 'String', text(100)],
      ['isocurrencycode', 'String', text(5)],
      ['currencysymbol', 'String', text(10)],
      ['exchangerate', 'Decimal', { precision: 10 }],
    ], { changeTracking: false }),
    table('processstage', 'processstages', 'stagename', [
      ['stagename', 'String', text(100)],
      ['stagecategory', 'Picklist', choice(0, 1, 2, 3, 4, 5)],
      ['processid', 'Lookup', lookup({ processid: 'workflow' })],
      ['primaryentitytypecode', 'String'],
    ], { changeTracking: false }),
    table('opportunityclose', 'opportunitycloses', 'subject', [
      ['subject', 'String', text(200)],
      ['description', memo, text(2000)],
      ['actualrevenue', 'Money', money],
      ['actualend', 'DateTime', { dateOnly: true }],
      ['opportunityid', 'Lookup', lookup({ opportunityid: 'opportunity' })],
    ], { changeTracking: false, key: 'activityid' }),
  ];
}
