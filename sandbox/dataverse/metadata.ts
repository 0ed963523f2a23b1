/**
 * The metadata endpoints that the connector's setup and check use:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-column-definitions-using-web-api
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-entity-definitions-using-web-api
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-entity-relationships-using-web-api
 */
import { randomUUID } from 'node:crypto';
import { CODES, DataverseError, ODATA_HEADERS, type ApiRequest, type ApiResponse } from './api-types.js';
import { parseBody } from './writes.js';
import { column, table, type ColumnDef, type ColumnType, type TableDef } from './schema.js';
import type { DataverseStore } from './store.js';

const TYPE_BY_ODATA: Record<string, ColumnType> = {
  StringAttributeMetadata: 'String', MemoAttributeMetadata: 'Memo', MoneyAttributeMetadata: 'Money', DecimalAttributeMetadata: 'Decimal',
  IntegerAttributeMetadata: 'Integer', BigIntAttributeMetadata: 'BigInt', BooleanAttributeMetadata: 'Boolean', DateTimeAttributeMetadata: 'DateTime',
  PicklistAttributeMetadata: 'Picklist',
};

function entityJson(def: TableDef, req: ApiRequest): Record<string, unknown> {
  const full: Record<string, unknown> = {
    MetadataId: def.metadataId, LogicalName: def.logicalName, SchemaName: def.schemaName, EntitySetName: def.entitySet,
    PrimaryIdAttribute: def.key, PrimaryNameAttribute: def.primaryName, IsCustomEntity: def.custom, ChangeTrackingEnabled: def.changeTracking,
  };
  return select(full, req, `${req.serviceRoot}$metadata#EntityDefinitions/$entity`);
}

function attributeJson(col: ColumnDef): Record<string, unknown> {
  return {
    MetadataId: col.metadataId, LogicalName: col.logicalName, SchemaName: col.schemaName, AttributeType: col.type,
    IsCustomAttribute: col.custom, MaxLength: col.maxLength ?? null,
  };
}

function select(full: Record<string, unknown>, req: ApiRequest, context: string): Record<string, unknown> {
  const names = req.query.get('$select')?.split(',').map((s) => s.trim());
  const picked = names ? Object.fromEntries(Object.entries(full).filter(([k]) => names.includes(k) || k === 'MetadataId')) : full;
  return { '@odata.context': context, ...picked };
}

function label(value: unknown): string | undefined {
  const labels = (value as { LocalizedLabels?: { Label?: string }[] } | undefined)?.LocalizedLabels;
  return labels?.[0]?.Label;
}

function mustTable(store: DataverseStore, logicalName: string) {
  const state = store.table(logicalName);
  if (!state) throw new DataverseError(404, CODES.notFound, `Could not find an entity with name ${logicalName}.`);
  return state;
}

/** Builds a column from a POSTed AttributeMetadata body; refuses names without a publisher prefix. */
function columnFromBody(body: Record<string, unknown>, owner: string): ColumnDef {
  const schemaName = body.SchemaName;
  if (typeof schemaName !== 'string' || !/^[A-Za-z0-9]+_[A-Za-z0-9_]+$/.test(schemaName)) {
    throw new DataverseError(400, CODES.invalidArgument, `The SchemaName '${String(schemaName)}' of a new column on ${owner} must start with a publisher customization prefix and an underscore.`);
  }
  if (!label(body.DisplayName)) throw new DataverseError(400, CODES.invalidArgument, `The column ${schemaName} on ${owner} needs a DisplayName.`);
  const odataType = String(body['@odata.type'] ?? '').replace(/^#?Microsoft\.Dynamics\.CRM\./, '');
  const type = TYPE_BY_ODATA[odataType] ?? (body.AttributeType as ColumnType | undefined);
  if (!type || !Object.values(TYPE_BY_ODATA).includes(type)) throw new DataverseError(400, CODES.invalidArgument, `The column ${schemaName} on ${owner} has an unsupported type '${odataType || String(body.AttributeType)}'.`);
  const options = (body.OptionSet as { Options?: { Value?: number }[] } | undefined)?.Options?.map((o) => Number(o.Value));
  const behavior = (body.DateTimeBehavior as { Value?: string } | undefined)?.Value;
  return column(schemaName.toLowerCase(), type, {
    schemaName,
    ...(typeof body.MaxLength === 'number' ? { maxLength: body.MaxLength } : {}),
    ...(type === 'Picklist' ? { options: options ?? [] } : {}),
    ...(type === 'DateTime' && (behavior === 'DateOnly' || body.Format === 'DateOnly') ? { dateOnly: true } : {}),
  }, true);
}

export function handleMetadata(store: DataverseStore, req: ApiRequest): ApiResponse | undefined {
  const path = decodeURIComponent(req.path);
  const noContent = (entityId: string): ApiResponse => ({ status: 204, headers: { ...ODATA_HEADERS, 'OData-EntityId': `${req.serviceRoot}${entityId}` } });

  let m = /^EntityDefinitions\(LogicalName='([^']+)'\)$/.exec(path);
  if (m && req.method === 'GET') return { status: 200, headers: { ...ODATA_HEADERS }, body: entityJson(mustTable(store, m[1]!).def, req) };

  m = /^EntityDefinitions\(LogicalName='([^']+)'\)\/Attributes(?:\(LogicalName='([^']+)'\))?$/.exec(path);
  if (m) {
    const state = mustTable(store, m[1]!);
    if (req.method === 'GET' && m[2]) {
      const col = state.def.columns.get(m[2]);
      if (!col) throw new DataverseError(404, CODES.notFound, `Could not find an attribute with name ${m[2]} on entity ${m[1]}.`);
      return { status: 200, headers: { ...ODATA_HEADERS }, body: select(attributeJson(col), req, `${req.serviceRoot}$metadata#EntityDefinitions('${m[1]}')/Attributes/$entity`) };
    }
    if (req.method === 'GET') {
      const value = [...state.def.columns.values()].map((c) => select(attributeJson(c), req, '')).map(({ '@odata.context': _c, ...rest }) => rest);
      return { status: 200, headers: { ...ODATA_HEADERS }, body: { '@odata.context': `${req.serviceRoot}$metadata#EntityDefinitions('${m[1]}')/Attributes`, value } };
    }
    if (req.method === 'POST' && !m[2]) {
      const col = columnFromBody(parseBody(req), m[1]!);
      if (state.def.columns.has(col.logicalName)) {
        throw new DataverseError(400, CODES.duplicate, `An attribute with the name ${col.logicalName} already exists on entity ${m[1]}.`);
      }
      store.addCustomColumn(m[1]!, col);
      return noContent(`EntityDefinitions(${state.def.metadataId})/Attributes(${col.metadataId})`);
    }
  }

  if (path === 'EntityDefinitions' && req.method === 'POST') {
    const body = parseBody(req);
    const schemaName = String(body.SchemaName ?? '');
    const logicalName = schemaName.toLowerCase();
    if (!/^[a-z0-9]+_[a-z0-9_]+$/.test(logicalName)) throw new DataverseError(400, CODES.invalidArgument, `The SchemaName '${schemaName}' of a new table must start with a publisher customization prefix and an underscore.`);
    if (store.table(logicalName)) throw new DataverseError(400, CODES.duplicate, `An entity with the name ${logicalName} already exists.`);
    const attributes = (Array.isArray(body.Attributes) ? body.Attributes : []) as Record<string, unknown>[];
    const primary = attributes.find((a) => a.IsPrimaryName === true);
    if (!primary) throw new DataverseError(400, CODES.invalidArgument, `The new table ${logicalName} needs one string attribute with IsPrimaryName true.`);
    const primaryCol = columnFromBody(primary, logicalName);
    const def = table(logicalName, typeof body.EntitySetName === 'string' ? body.EntitySetName : `${logicalName}s`, primaryCol.logicalName, [], {
      custom: true,
      schemaName,
      changeTracking: body.ChangeTrackingEnabled === true,
    });
    def.columns.set(primaryCol.logicalName, primaryCol);
    store.addTable(def);
    return noContent(`EntityDefinitions(${def.metadataId})`);
  }

  m = /^RelationshipDefinitions\(SchemaName='([^']+)'\)$/.exec(path);
  if (m && req.method === 'GET') {
    const rel = store.relationships.get(m[1]!);
    if (!rel) throw new DataverseError(404, CODES.notFound, `Could not find a relationship with name ${m[1]}.`);
    return {
      status: 200,
      headers: { ...ODATA_HEADERS },
      body: { '@odata.context': `${req.serviceRoot}$metadata#RelationshipDefinitions/$entity`, MetadataId: rel.metadataId, SchemaName: rel.schemaName, ReferencedEntity: rel.referencedEntity, ReferencingEntity: rel.referencingEntity, ReferencingAttribute: rel.lookupColumn },
    };
  }
  if (path === 'RelationshipDefinitions' && req.method === 'POST') return createRelationship(store, req, noContent);
  return undefined;
}

function createRelationship(store: DataverseStore, req: ApiRequest, noContent: (id: string) => ApiResponse): ApiResponse {
  const body = parseBody(req);
  const schemaName = String(body.SchemaName ?? '');
  if (!/OneToManyRelationshipMetadata$/.test(String(body['@odata.type'] ?? ''))) {
    throw new DataverseError(400, CODES.invalidArgument, 'Only Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata is supported by the sandbox.');
  }
  if (store.relationships.has(schemaName)) throw new DataverseError(400, CODES.duplicate, `A relationship with the name ${schemaName} already exists.`);
  const parent = mustTable(store, String(body.ReferencedEntity));
  const child = mustTable(store, String(body.ReferencingEntity));
  const lookupBody = (body.Lookup ?? {}) as Record<string, unknown>;
  const lookupName = String(lookupBody.SchemaName ?? '').toLowerCase();
  if (!lookupName || child.def.columns.has(lookupName)) throw new DataverseError(400, CODES.invalidArgument, `The lookup column '${lookupName}' of ${schemaName} is missing or already exists.`);
  const referencingNav = String(body.ReferencingEntityNavigationPropertyName ?? lookupName);
  const referencedNav = String(body.ReferencedEntityNavigationPropertyName ?? schemaName);
  const cascade = (body.CascadeConfiguration as { Delete?: string } | undefined)?.Delete;
  const metadataId = randomUUID();
  child.def.columns.set(lookupName, column(lookupName, 'Lookup', { schemaName: String(lookupBody.SchemaName), targets: { [referencingNav]: parent.def.logicalName } }, true));
  child.def.navigation.set(referencingNav, { column: lookupName, target: parent.def.logicalName });
  parent.def.collections.set(referencedNav, { childTable: child.def.logicalName, lookupColumn: lookupName, relationship: schemaName });
  store.relationships.set(schemaName, {
    schemaName, metadataId, referencedEntity: parent.def.logicalName, referencingEntity: child.def.logicalName, lookupColumn: lookupName,
    referencedNav, referencingNav, cascadeDelete: cascade === 'Cascade',
  });
  return noContent(`RelationshipDefinitions(${metadataId})`);
}
