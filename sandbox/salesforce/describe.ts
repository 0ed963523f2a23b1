/**
 * Describe results: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 * and the global list: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_describeGlobal.htm
 */
import { childRelationshipName, type FieldDef, type ObjectDef } from './schema.js';
import type { SalesforceStore } from './store.js';

function describeField(store: SalesforceStore, def: ObjectDef, f: FieldDef): Record<string, unknown> {
  const values = def.name === 'Opportunity' && f.name === 'StageName'
    ? store.all('OpportunityStage').filter((s) => s.IsActive !== false).map((s) => String(s.MasterLabel))
    : (f.picklist ?? []);
  return {
    name: f.name,
    label: f.label,
    inlineHelpText: f.inlineHelpText ?? null,
    type: f.type,
    length: f.length ?? 0,
    custom: f.custom,
    createable: f.createable,
    updateable: f.updateable,
    nillable: !f.required && f.type !== 'boolean' && f.name !== 'Id',
    defaultedOnCreate: f.defaultValue !== undefined || f.type === 'boolean' || ['Id', 'OwnerId', 'CreatedDate', 'SystemModstamp'].includes(f.name),
    defaultValue: f.defaultValue ?? null,
    externalId: Boolean(f.externalId),
    unique: Boolean(f.unique),
    filterable: true,
    sortable: f.type !== 'textarea',
    picklistValues: values.map((v) => ({ active: true, defaultValue: v === f.defaultValue, label: v, validFor: null, value: v })),
    restrictedPicklist: Boolean(f.restricted),
    referenceTo: f.referenceTo ? [f.referenceTo] : [],
    relationshipName: f.type === 'reference' ? (f.relationshipName ?? f.name.replace(/__c$/, '__r')) : null,
    cascadeDelete: Boolean(f.cascadeDelete),
  };
}

export function describeObject(store: SalesforceStore, def: ObjectDef, version: string): Record<string, unknown> {
  const childRelationships = [...store.objects.values()].flatMap((child) =>
    [...child.fields.values()]
      .filter((f) => f.referenceTo?.toLowerCase() === def.name.toLowerCase())
      .map((f) => ({ childSObject: child.name, field: f.name, relationshipName: childRelationshipName(child, f) ?? null, cascadeDelete: Boolean(f.cascadeDelete) })),
  );
  return {
    ...globalEntry(def, version),
    // Field-level security: a field the user cannot read is not described at all.
    fields: [...def.fields.values()].filter((f) => !store.hidden(def, f.name)).map((f) => describeField(store, def, f)),
    childRelationships,
  };
}

export function globalEntry(def: ObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/${version}/sobjects/${def.name}`;
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: def.custom,
    createable: def.operations.insert,
    updateable: def.operations.update,
    deletable: def.operations.delete,
    queryable: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}
