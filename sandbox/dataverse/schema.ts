/**
 * The sandbox environment's table and column definitions, as the metadata API reports them. Standard
 * tables follow the Dataverse / Dynamics 365 Sales table references
 * (https://learn.microsoft.com/dynamics365/sales/developer/entities/opportunity). Custom columns and
 * tables do not exist until the metadata API creates them, so the connector's setup is testable.
 */
import { randomUUID } from 'node:crypto';

export type ColumnType =
  | 'Uniqueidentifier' | 'String' | 'Memo' | 'Money' | 'Decimal' | 'Double' | 'Integer' | 'BigInt' | 'Boolean' | 'DateTime'
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
  /** Decimal places kept for Double, Decimal and Money columns (values are rounded on save). */
  precision?: number;
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
    // Set by the platform to the caller of the request that saved the row ("Created By", "Modified By").
    ['createdby', 'Lookup', { readOnly: true, targets: { createdby: 'systemuser' } }],
    ['modifiedby', 'Lookup', { readOnly: true, targets: { modifiedby: 'systemuser' } }],
  ];
  for (const [name, type, extra] of [...system, ...specs]) addColumn(def, column(name, type, extra ?? {}, opts.custom ?? false));
  return def;
}

/** Adds a column and, for lookups, its navigation properties. */
export function addColumn(def: TableDef, col: ColumnDef): void {
  def.columns.set(col.logicalName, col);
  for (const [nav, target] of Object.entries(col.targets ?? {})) def.navigation.set(nav, { column: col.logicalName, target });
}

export const lookup = (targets: Record<string, string>): Partial<ColumnDef> => ({ targets });

/** Declares a collection-valued navigation property (e.g. `Account_Tasks`) on the parent table. */
export function collection(parent: TableDef, nav: string, childTable: string, lookupColumn: string): void {
  parent.collections.set(nav, { childTable, lookupColumn, relationship: nav });
}
