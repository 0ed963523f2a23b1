/**
 * The metadata definitions `setup()` posts, built from the field table (pure):
 * columns (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-column-definitions-using-web-api),
 * tables (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-entity-definitions-using-web-api)
 * and one-to-many relationships (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-entity-relationships-using-web-api).
 */
import type { DynamicsFieldRow, DynamicsTable } from '../../mappings/fields.dynamics.js';
import type { ConnectorNames } from './schema-names.js';

type Body = Record<string, unknown>;

export const label = (text: string): Body => ({
  '@odata.type': 'Microsoft.Dynamics.CRM.Label',
  LocalizedLabels: [{ '@odata.type': 'Microsoft.Dynamics.CRM.LocalizedLabel', Label: text, LanguageCode: 1033 }],
});

const NOT_REQUIRED = { Value: 'None', CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' };

export function attributeBody(row: Pick<DynamicsFieldRow, 'column' | 'kind' | 'label' | 'maxLength' | 'choices'>): Body {
  const common = { SchemaName: row.column, DisplayName: label(row.label), Description: label(`${row.label} (cosell-connector)`), RequiredLevel: NOT_REQUIRED };
  const type = (odata: string, attributeType: string, extra: Body = {}): Body => ({
    '@odata.type': `Microsoft.Dynamics.CRM.${odata}`, AttributeType: attributeType, AttributeTypeName: { Value: `${attributeType}Type` }, ...common, ...extra,
  });
  switch (row.kind) {
    case 'string':
      return type('StringAttributeMetadata', 'String', { MaxLength: row.maxLength ?? 100, FormatName: { Value: 'Text' } });
    case 'memo':
      return type('MemoAttributeMetadata', 'Memo', { MaxLength: row.maxLength ?? 2000, Format: 'TextArea' });
    case 'money':
      return type('MoneyAttributeMetadata', 'Money', { PrecisionSource: 2 });
    case 'decimal':
      return type('DecimalAttributeMetadata', 'Decimal', { Precision: 2, MinValue: 0, MaxValue: 100_000_000_000 });
    case 'integer':
      return type('IntegerAttributeMetadata', 'Integer', { Format: 'None', MinValue: 0, MaxValue: 2_147_483_647 });
    case 'boolean':
      return type('BooleanAttributeMetadata', 'Boolean', {
        DefaultValue: false,
        OptionSet: { '@odata.type': 'Microsoft.Dynamics.CRM.BooleanOptionSetMetadata', TrueOption: { Value: 1, Label: label('Yes') }, FalseOption: { Value: 0, Label: label('No') }, OptionSetType: 'Boolean' },
      });
    case 'date':
      return type('DateTimeAttributeMetadata', 'DateTime', { Format: 'DateOnly', DateTimeBehavior: { Value: 'DateOnly' } });
    case 'datetime':
      return type('DateTimeAttributeMetadata', 'DateTime', { Format: 'DateAndTime', DateTimeBehavior: { Value: 'UserLocal' } });
    case 'choice':
      return type('PicklistAttributeMetadata', 'Picklist', {
        OptionSet: {
          '@odata.type': 'Microsoft.Dynamics.CRM.OptionSetMetadata', IsGlobal: false, OptionSetType: 'Picklist',
          Options: (row.choices ?? []).map((c) => ({ Value: c.value, Label: label(c.label) })),
        },
      });
  }
}

export interface ChildTableSpec {
  table: DynamicsTable;
  logicalName: string;
  entitySet: string;
  display: string;
  displayPlural: string;
  relationship: string;
  /** The collection-valued navigation property on opportunity. */
  collection: string;
}

export function childTables(names: ConnectorNames): ChildTableSpec[] {
  return [
    { table: 'teammember', logicalName: names.teamTable, entitySet: names.teamSet, display: 'Co-sell Team Member', displayPlural: 'Co-sell Team Members', relationship: names.teamRelationship, collection: names.teamCollection },
    { table: 'solution', logicalName: names.solutionTable, entitySet: names.solutionSet, display: 'Co-sell Solution', displayPlural: 'Co-sell Solutions', relationship: names.solutionRelationship, collection: names.solutionCollection },
    { table: 'invitation', logicalName: names.invitationTable, entitySet: names.invitationSet, display: 'Co-sell Partner Invitation', displayPlural: 'Co-sell Partner Invitations', relationship: names.invitationRelationship, collection: names.invitationCollection },
  ];
}

export function tableBody(spec: ChildTableSpec, names: ConnectorNames): Body {
  return {
    '@odata.type': 'Microsoft.Dynamics.CRM.EntityMetadata',
    SchemaName: spec.logicalName,
    EntitySetName: spec.entitySet,
    DisplayName: label(spec.display),
    DisplayCollectionName: label(spec.displayPlural),
    Description: label(`${spec.displayPlural} of an opportunity, synced with Partner Center by cosell-connector`),
    OwnershipType: 'UserOwned',
    IsActivity: false,
    HasActivities: false,
    HasNotes: false,
    ChangeTrackingEnabled: true,
    Attributes: [{ ...attributeBody({ column: names.nameColumn, kind: 'string', label: 'Name', maxLength: 200 }), IsPrimaryName: true }],
  };
}

export function relationshipBody(spec: ChildTableSpec, names: ConnectorNames): Body {
  return {
    '@odata.type': 'Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata',
    SchemaName: spec.relationship,
    ReferencedEntity: 'opportunity',
    ReferencedAttribute: 'opportunityid',
    ReferencingEntity: spec.logicalName,
    ReferencedEntityNavigationPropertyName: spec.collection,
    ReferencingEntityNavigationPropertyName: names.lookupNav,
    CascadeConfiguration: { Assign: 'NoCascade', Delete: 'Cascade', Merge: 'NoCascade', Reparent: 'NoCascade', Share: 'NoCascade', Unshare: 'NoCascade' },
    Lookup: {
      '@odata.type': 'Microsoft.Dynamics.CRM.LookupAttributeMetadata', AttributeType: 'Lookup', AttributeTypeName: { Value: 'LookupType' },
      SchemaName: names.lookupColumn, DisplayName: label('Opportunity'), Description: label('The opportunity this row belongs to'), RequiredLevel: NOT_REQUIRED,
    },
  };
}

/** The connector's own columns per table (those whose name carries the publisher prefix). */
export function connectorColumns(fields: readonly DynamicsFieldRow[], prefix: string): Map<DynamicsTable, DynamicsFieldRow[]> {
  const out = new Map<DynamicsTable, DynamicsFieldRow[]>();
  for (const row of fields) {
    if (!row.column.startsWith(prefix)) continue;
    const list = out.get(row.table) ?? [];
    if (!list.some((r) => r.column === row.column)) list.push(row);
    out.set(row.table, list);
  }
  return out;
}
