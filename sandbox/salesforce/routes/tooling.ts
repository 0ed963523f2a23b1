/**
 * The slice of the Tooling API that the connector's setup uses: create CustomField and CustomObject,
 * update a CustomField's metadata (new picklist values), and query CustomField and EntityDefinition.
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_customfield.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_customobject.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_entitydefinition.htm
 */
import type { SandboxRequest } from '../../common/http.js';
import type { SfContext } from '../context.js';
import { SfFault } from '../errors.js';
import { ALL_OPERATIONS, field, NO_OPERATIONS, type FieldDef, type ObjectDef } from '../schema.js';
import type { QuerySource } from '../soql.js';
import type { Rec } from '../store.js';
import { sendSf } from '../wire.js';
import { runSoql } from './query.js';
import { bodyObject } from './sobjects.js';

interface FieldMetadata {
  label?: string;
  inlineHelpText?: string;
  type?: string;
  length?: number;
  precision?: number;
  scale?: number;
  defaultValue?: string | null;
  externalId?: boolean;
  unique?: boolean;
  required?: boolean;
  referenceTo?: string;
  relationshipName?: string;
  relationshipLabel?: string;
  deleteConstraint?: string;
  valueSet?: { restricted?: boolean; valueSetDefinition?: { value?: { fullName: string; label?: string; default?: boolean }[] } };
}

const TYPES: Record<string, FieldDef['type']> = {
  Checkbox: 'boolean', Text: 'string', TextArea: 'textarea', LongTextArea: 'textarea', Picklist: 'picklist', DateTime: 'datetime',
  Date: 'date', Number: 'double', Percent: 'percent', Currency: 'currency', Url: 'url', Email: 'email', Phone: 'phone',
  Lookup: 'reference', MasterDetail: 'reference',
};

const invalid = (message: string) => new SfFault(400, 'FIELD_INTEGRITY_EXCEPTION', message);

function toFieldDef(name: string, m: FieldMetadata, ctx: SfContext): FieldDef {
  const type = m.type ? TYPES[m.type] : undefined;
  if (!type) throw invalid(`Invalid field type: ${String(m.type)}`);
  if (!m.label) throw new SfFault(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Label]', ['Label']);
  const values = m.valueSet?.valueSetDefinition?.value ?? [];
  if (type === 'picklist' && values.length === 0) throw invalid('Picklist must define at least one value');
  if (type === 'reference' && (!m.referenceTo || !ctx.store.object(m.referenceTo))) throw invalid(`referenceTo: invalid object ${String(m.referenceTo)}`);
  const isDefault = values.find((v) => v.default)?.fullName;
  return field({
    name,
    label: m.label,
    ...(m.inlineHelpText ? { inlineHelpText: m.inlineHelpText } : {}),
    type,
    custom: true,
    ...(m.length ? { length: m.length } : type === 'string' ? { length: 255 } : type === 'textarea' ? { length: m.type === 'TextArea' ? 255 : 32768 } : {}),
    ...(type === 'boolean' ? { defaultValue: m.defaultValue === 'true' } : {}),
    ...(type === 'picklist' ? { picklist: values.map((v) => v.fullName), restricted: Boolean(m.valueSet?.restricted), ...(isDefault ? { defaultValue: isDefault } : {}) } : {}),
    ...(m.externalId ? { externalId: true } : {}),
    ...(m.unique ? { unique: true } : {}),
    ...(m.required || m.type === 'MasterDetail' ? { required: true } : {}),
    ...(type === 'reference' ? { referenceTo: ctx.store.object(m.referenceTo!)!.name, relationshipName: name.replace(/__c$/, '__r'), ...(m.relationshipName ? { childRelationshipName: `${m.relationshipName}__r` } : {}) } : {}),
    ...(m.type === 'MasterDetail' || m.deleteConstraint === 'Cascade' ? { cascadeDelete: true } : {}),
  });
}

function createCustomField(ctx: SfContext, body: Record<string, unknown>): string {
  const fullName = String(body.FullName ?? '');
  const [objectName, fieldName] = fullName.split('.');
  if (!objectName || !fieldName || !fieldName.endsWith('__c')) throw invalid(`FullName must be Object.Field__c, got ${fullName}`);
  const def = ctx.store.object(objectName);
  if (!def) throw invalid(`Invalid object: ${objectName}`);
  if (def.fields.has(fieldName.toLowerCase())) throw new SfFault(400, 'DUPLICATE_DEVELOPER_NAME', `There is already a field named ${fieldName.replace(/__c$/, '')} on ${def.name}.`);
  const f = toFieldDef(fieldName, (body.Metadata ?? {}) as FieldMetadata, ctx);
  def.fields.set(f.name.toLowerCase(), f);
  const id = ctx.store.ids.next('00N');
  ctx.store.customFields.push({ id, fullName: `${def.name}.${f.name}` });
  // Existing rows get the field's default, as they do in a real org.
  for (const r of ctx.store.all(def.name)) ctx.store.assign(def.name, r, { [f.name]: f.defaultValue ?? (f.type === 'boolean' ? false : null) });
  return id;
}

function createCustomObject(ctx: SfContext, body: Record<string, unknown>): string {
  const name = String(body.FullName ?? '');
  if (!name.endsWith('__c')) throw invalid(`FullName must end in __c, got ${name}`);
  if (ctx.store.object(name)) throw new SfFault(400, 'DUPLICATE_DEVELOPER_NAME', `There is already an object named ${name.replace(/__c$/, '')}.`);
  const m = (body.Metadata ?? {}) as { label?: string; pluralLabel?: string; nameField?: { label?: string } };
  if (!m.label) throw new SfFault(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Label]', ['Label']);
  const keyPrefix = `a0${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.charAt(ctx.store.customObjects.length % 26)}`;
  const template = ctx.store.object('Account')!;
  const system = [...template.fields.values()].filter((f) => ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'].includes(f.name));
  const fields = [...system, field({ name: 'Name', type: 'string', length: 80, required: true, label: m.nameField?.label ?? `${m.label} Name` })];
  const def: ObjectDef = { name, label: m.label, labelPlural: m.pluralLabel ?? `${m.label}s`, keyPrefix, custom: true, operations: ALL_OPERATIONS, fields: new Map(fields.map((f) => [f.name.toLowerCase(), f])) };
  ctx.store.objects.set(name.toLowerCase(), def);
  const id = ctx.store.ids.next('01I');
  ctx.store.customObjects.push({ id, fullName: name });
  return id;
}

/**
 * PATCH CustomField/{id}: the body's Metadata replaces the field's (a real org deactivates picklist values
 * the new set leaves out; here they are gone, which a restricted picklist then refuses the same way). The
 * type cannot change through this call.
 */
function updateCustomField(ctx: SfContext, id: string, body: Record<string, unknown>): void {
  const entry = ctx.store.customFields.find((f) => f.id === id);
  if (!entry) throw new SfFault(404, 'NOT_FOUND', `The requested resource does not exist: CustomField ${id}`);
  const [objectName, fieldName] = entry.fullName.split('.') as [string, string];
  const def = ctx.store.object(objectName)!;
  const before = def.fields.get(fieldName.toLowerCase())!;
  const after = toFieldDef(before.name, (body.Metadata ?? {}) as FieldMetadata, ctx);
  if (after.type !== before.type) throw invalid(`Cannot change the type of ${entry.fullName} from ${before.type} to ${after.type} here`);
  def.fields.set(before.name.toLowerCase(), after);
}

const TOOLING_OBJECTS: ObjectDef[] = [
  { name: 'CustomField', label: 'Custom Field', labelPlural: 'Custom Fields', keyPrefix: '00N', custom: false, operations: ALL_OPERATIONS, fields: new Map(['Id', 'DeveloperName', 'TableEnumOrId', 'NamespacePrefix', 'FullName'].map((n) => [n.toLowerCase(), field({ name: n, type: n === 'Id' ? 'id' : 'string' })])) },
  { name: 'EntityDefinition', label: 'Entity Definition', labelPlural: 'Entity Definitions', keyPrefix: '000', custom: false, operations: NO_OPERATIONS, fields: new Map(['Id', 'DurableId', 'QualifiedApiName', 'DeveloperName', 'KeyPrefix', 'Label', 'IsCustomizable'].map((n) => [n.toLowerCase(), field({ name: n, type: n === 'IsCustomizable' ? 'boolean' : n === 'Id' ? 'id' : 'string' })])) },
];

function toolingRows(ctx: SfContext, def: ObjectDef): Rec[] {
  const objectId = (name: string) => ctx.store.customObjects.find((o) => o.fullName === name)?.id ?? name;
  if (def.name === 'CustomField') {
    return ctx.store.customFields.map((f) => {
      const [object, fieldName] = f.fullName.split('.') as [string, string];
      return { Id: f.id, DeveloperName: fieldName.replace(/__c$/, ''), TableEnumOrId: objectId(object), NamespacePrefix: null, FullName: f.fullName };
    });
  }
  return [...ctx.store.objects.values()].map((o) => ({ Id: `000000000000000AAA`, DurableId: objectId(o.name), QualifiedApiName: o.name, DeveloperName: o.name.replace(/__c$/, ''), KeyPrefix: o.keyPrefix, Label: o.label, IsCustomizable: true }));
}

export function registerToolingRoutes(ctx: SfContext): void {
  const base = '/services/data/:version/tooling';
  ctx.router.on('GET', `${base}/query`, (req: SandboxRequest, res) => {
    const version = req.params.version!;
    const source: QuerySource = {
      object: (name) => TOOLING_OBJECTS.find((o) => o.name.toLowerCase() === name.toLowerCase()),
      rows: (def) => toolingRows(ctx, def),
      get: () => undefined,
      allObjects: () => TOOLING_OBJECTS,
      urlBase: `/services/data/${version}/tooling/sobjects`,
      nowMs: ctx.clock.nowMs(),
    };
    ctx.counters.hit('tooling:query');
    sendSf(res, 200, runSoql(ctx, source, version, req.query.get('q') ?? '', 2000).body);
  });
  ctx.router.on('POST', `${base}/sobjects/:type`, (req, res) => {
    const type = req.params.type!;
    const body = bodyObject(req);
    const create = type === 'CustomField' ? createCustomField : type === 'CustomObject' ? createCustomObject : undefined;
    if (!create) throw new SfFault(404, 'NOT_FOUND', `The requested resource does not exist (Tooling sObject ${type} is not simulated)`);
    const id = create(ctx, body);
    ctx.counters.hit(`tooling:${type}:POST`);
    ctx.persist();
    sendSf(res, 201, { id, success: true, errors: [], warnings: [], infos: [] });
  });
  ctx.router.on('PATCH', `${base}/sobjects/CustomField/:id`, (req, res) => {
    updateCustomField(ctx, req.params.id!, bodyObject(req));
    ctx.counters.hit('tooling:CustomField:PATCH');
    ctx.persist();
    sendSf(res, 204, undefined);
  });
}
