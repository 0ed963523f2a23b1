/**
 * The sandbox environment's table and column definitions, as the metadata API reports them. Standard
 * tables follow the Dataverse / Dynamics 365 Sales table references
 * (https://learn.microsoft.com/dynamics365/sales/developer/entities/opportunity). Custom columns and
 * tables do not exist until the metadata API creates them, so the connector's setup is testable.
 */
import { randomUUID } from 'node:crypto';

export type ColumnType =
  | 'Uniqueidentifier' | 'String' | 'Memo' | 'Money' | 'Decimal' | 'Integer' | 'BigInt' | 'Boolean' | 'DateTime'
  | 'Picklist' | 'State' | 'Status' | 'Lookup' | 'Customer' | 'Owner';

export interface ColumnDef {
  logicalName: string;
  schemaName: string;
  type: ColumnType;
  metadataId: string;
  custom: boolean;
  /** Only the platform writes it (modifiedon, versionnumber…). */
  readOnly?: boolean;
  maxLength?: number;
  /** DateTime columns with DateOnly behaviour serialise as YYYY-MM-DD. */
  dateOnly?: boolean;
  /** For lookups: the nav property names and the tables they point to. */
  targets?: Record<string, string>;
  options?: number[];
}

export interface CollectionNav {
  /** The child table's logical name and its lookup column (e.g. `cosell_opportunityid`). */
  childTable: string;
  lookupColumn: string;
  relationship: string;
}

export interface TableDef {
  logicalName: string;
  schemaName: string;
  entitySet: string;
  key: string;
  primaryName: string;
  metadataId: string;
  custom: boolean;
  changeTracking: boolean;
  columns: Map<string, ColumnDef>;
  /** Single-valued navigation property → lookup column logical name. */
  navigation: Map<string, { column: string; target: string }>;
  collections: Map<string, CollectionNav>;
}

export interface RelationshipDef {
  schemaName: string;
  metadataId: string;
  referencedEntity: string;
  referencingEntity: string;
  lookupColumn: string;
  referencedNav: string;
  referencingNav: string;
  cascadeDelete: boolean;
}

type ColumnSpec = [name: string, type: ColumnType, extra?: Partial<ColumnDef>];

export function column(name: string, type: ColumnType, extra: Partial<ColumnDef> = {}, custom = false): ColumnDef {
  return { logicalName: name, schemaName: name, type, metadataId: randomUUID(), custom, ...extra };
}

export function table(logicalName: string, entitySet: string, primaryName: string, specs: ColumnSpec[], opts: Partial<TableDef> = {}): TableDef {
  const key = opts.key ?? `${logicalName}id`;
  const def: TableDef = {
    logicalName,
    schemaName: logicalName,
    entitySet,
    key,
    primaryName,
    metadataId: randomUUID(),
    custom: false,
    changeTracking: true,
    columns: new Map(),
    navigation: new Map(),
    collections: new Map(),
    ...opts,
  };
  const system: ColumnSpec[] = [
    [key, 'Uniqueidentifier'],
    ['createdon', 'DateTime', { readOnly: true }],
    ['modifiedon', 'DateTime', { readOnly: true }],
    ['versionnumber', 'BigInt', { readOnly: true }],
    ['statecode', 'State'],
    ['statuscode', 'Status'],
    ['ownerid', 'Owner', { targets: { ownerid: 'systemuser' } }],
  ];
  for (const [name, type, extra] of [...system, ...specs]) addColumn(def, column(name, type, extra ?? {}, opts.custom ?? false));
  return def;
}

/** Adds a column and, for lookups, its navigation properties. */
export function addColumn(def: TableDef, col: ColumnDef): void {
  def.columns.set(col.logicalName, col);
  for (const [nav, target] of Object.entries(col.targets ?? {})) def.navigation.set(nav, { column: col.logicalName, target });
}

const lookup = (targets: Record<string, string>): Partial<ColumnDef> => ({ targets });

/** The standard tables the connector touches, as a fresh environment has them. */
export function standardTables(): TableDef[] {
  return [
    table('opportunity', 'opportunities', 'name', [
      ['name', 'String', { maxLength: 300 }],
      ['description', 'Memo', { maxLength: 2000 }],
      ['estimatedvalue', 'Money'],
      ['actualvalue', 'Money'],
      ['estimatedclosedate', 'DateTime', { dateOnly: true }],
      ['actualclosedate', 'DateTime', { dateOnly: true }],
      ['closeprobability', 'Integer'],
      ['salesstage', 'Picklist', { options: [0, 1, 2, 3] }],
      ['stepname', 'String', { maxLength: 200 }],
      ['msdyn_forecastcategory', 'Picklist', { options: [100000001, 100000002, 100000003, 100000004, 100000005, 100000006] }],
      ['parentaccountid', 'Lookup', lookup({ parentaccountid: 'account' })],
      ['parentcontactid', 'Lookup', lookup({ parentcontactid: 'contact' })],
      ['customerid', 'Customer', lookup({ customerid_account: 'account', customerid_contact: 'contact' })],
      ['transactioncurrencyid', 'Lookup', lookup({ transactioncurrencyid: 'transactioncurrency' })],
      ['stageid', 'Uniqueidentifier'],
      ['processid', 'Uniqueidentifier'],
    ]),
    table('account', 'accounts', 'name', [
      ['name', 'String', { maxLength: 160 }],
      ['accountnumber', 'String', { maxLength: 20 }],
      ['address1_line1', 'String', { maxLength: 250 }],
      ['address1_line2', 'String', { maxLength: 250 }],
      ['address1_city', 'String', { maxLength: 80 }],
      ['address1_stateorprovince', 'String', { maxLength: 50 }],
      ['address1_postalcode', 'String', { maxLength: 20 }],
      ['address1_country', 'String', { maxLength: 80 }],
      ['telephone1', 'String', { maxLength: 50 }],
      ['websiteurl', 'String', { maxLength: 200 }],
      // The org's own customisation (default publisher prefix new_): D-U-N-S numbers it already keeps.
      ['new_dunsnumber', 'String', { maxLength: 20, custom: true, schemaName: 'new_DunsNumber' }],
    ]),
    table('contact', 'contacts', 'fullname', [
      ['firstname', 'String', { maxLength: 50 }],
      ['lastname', 'String', { maxLength: 50 }],
      ['fullname', 'String', { maxLength: 160, readOnly: true }],
      ['emailaddress1', 'String', { maxLength: 100 }],
      ['telephone1', 'String', { maxLength: 50 }],
      ['jobtitle', 'String', { maxLength: 100 }],
      ['parentcustomerid', 'Customer', lookup({ parentcustomerid_account: 'account', parentcustomerid_contact: 'contact' })],
    ]),
    table('systemuser', 'systemusers', 'fullname', [
      ['firstname', 'String'],
      ['lastname', 'String'],
      ['fullname', 'String', { readOnly: true }],
      ['internalemailaddress', 'String'],
      ['address1_telephone1', 'String'],
      ['applicationid', 'Uniqueidentifier'],
      ['isdisabled', 'Boolean'],
    ], { changeTracking: false }),
    table('transactioncurrency', 'transactioncurrencies', 'currencyname', [
      ['currencyname', 'String'],
      ['isocurrencycode', 'String', { maxLength: 5 }],
      ['currencysymbol', 'String'],
      ['exchangerate', 'Decimal'],
    ], { changeTracking: false }),
    table('processstage', 'processstages', 'stagename', [
      ['stagename', 'String'],
      ['stagecategory', 'Picklist', { options: [0, 1, 2, 3, 4, 5] }],
      ['processid', 'Lookup', lookup({ processid: 'workflow' })],
      ['primaryentitytypecode', 'String'],
    ], { changeTracking: false }),
    table('opportunityclose', 'opportunitycloses', 'subject', [
      ['subject', 'String'],
      ['description', 'Memo'],
      ['actualrevenue', 'Money'],
      ['actualend', 'DateTime', { dateOnly: true }],
      ['opportunityid', 'Lookup', lookup({ opportunityid: 'opportunity' })],
    ], { changeTracking: false, key: 'activityid' }),
  ];
}
