/**
 * Create, update, upsert and delete with the checks Salesforce makes on save: unknown and read-only
 * fields, types and lengths, restricted picklists, required fields, references, unique external IDs,
 * validation rules; then the fields the platform maintains (audit dates, SystemModstamp, Opportunity
 * stage-derived fields). Every failure is an `SfError` that names the field and the rule.
 */
import { binned } from './recycle-bin.js';
import { fastLayout } from '../common/fast-layout.js';
import { invalidField, sfError, SfFault, type SfError } from './errors.js';
import { runBeforeSaveFlows } from './before-save.js';
import { toId18 } from './ids.js';
import type { FieldDef, ObjectDef } from './schema.js';
import type { Rec, SalesforceStore } from './store.js';

/** The Opportunity fields whose change Salesforce records in OpportunityHistory. */
const HISTORY_FIELDS: readonly string[] = ['Amount', 'Probability', 'StageName', 'CloseDate'];

export type DmlResult = { ok: true; id: string; created?: boolean } | { ok: false; id?: string; errors: SfError[] };

const STRING_TYPES = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url', 'id']);
const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int']);

export interface DmlOptions {
  /** The user making the change (LastModifiedById). */
  userId: string;
  /** An automated process: moves SystemModstamp but not LastModifiedDate (wire-protocols.md §3.2). */
  systemOnly?: boolean;
}

export class Dml {
  constructor(private readonly store: SalesforceStore) {}

  requireObject(type: string): ObjectDef {
    const def = this.store.object(type);
    if (!def) throw new SfFault(404, 'NOT_FOUND', `The requested resource does not exist (sObject type '${type}' is not supported)`);
    return def;
  }

  /** Throws INVALID_FIELD for a field the object does not have: Salesforce rejects the whole request. */
  checkFieldNames(def: ObjectDef, values: Record<string, unknown>): void {
    for (const name of Object.keys(values)) {
      if (name === 'attributes' || name === 'Id' || name === 'id') continue;
      if (!this.store.fieldOf(def, name) || this.store.hidden(def, name)) {
        throw new SfFault(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${def.name}`, [name]);
      }
    }
  }

  stageNames(): string[] {
    return this.store.all('OpportunityStage').filter((s) => s.IsActive !== false).map((s) => String(s.MasterLabel));
  }

  private picklistValues(def: ObjectDef, f: FieldDef): string[] | undefined {
    if (def.name === 'Opportunity' && f.name === 'StageName') return this.stageNames();
    return f.picklist;
  }

  /** Checks and normalises one value; returns an error for the item or the value to store. */
  private coerce(def: ObjectDef, f: FieldDef, value: unknown): { value: unknown } | { error: SfError } {
    if (value === null || value === undefined || value === '') return { value: null };
    const bad = (what: string) => ({ error: sfError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${JSON.stringify(value)} (${what})`, [f.name]) });
    if (STRING_TYPES.has(f.type)) {
      if (typeof value !== 'string') return bad('text');
      if (f.length !== undefined && value.length > f.length) {
        return { error: sfError('STRING_TOO_LONG', `${f.label}: data value too large: ${value.slice(0, 40)} (max length=${f.length})`, [f.name]) };
      }
      const allowed = f.type === 'picklist' ? this.picklistValues(def, f) : undefined;
      if (allowed && f.restricted && !allowed.includes(value)) {
        return { error: sfError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${value}`, [f.name]) };
      }
      return { value };
    }
    if (NUMBER_TYPES.has(f.type)) {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return bad('number');
      return { value: f.type === 'int' ? Math.trunc(n) : n };
    }
    if (f.type === 'boolean') return typeof value === 'boolean' ? { value } : bad('boolean');
    if (f.type === 'date') {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value.slice(0, 10)))) return bad('date');
      return { value: value.slice(0, 10) };
    }
    if (f.type === 'datetime') {
      const ms = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
      return Number.isNaN(ms) ? bad('datetime') : { value: new Date(ms).toISOString() };
    }
    if (f.type === 'reference') {
      const id = typeof value === 'string' ? toId18(value) : undefined;
      if (!id) return { error: sfError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(value)}`, [f.name]) };
      const target = f.referenceTo ? this.store.get(f.referenceTo, id) : undefined;
      if (!target) return { error: sfError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]) };
      return { value: id };
    }
    return { value };
  }

  /** Applies `values` onto `base`; collects per-field errors. */
  private assign(def: ObjectDef, base: Record<string, unknown>, values: Record<string, unknown>, creating: boolean): SfError[] {
    const errors: SfError[] = [];
    const readOnly: string[] = [];
    for (const [name, raw] of Object.entries(values)) {
      if (name === 'attributes' || name === 'Id' || name === 'id') continue;
      const f = this.store.fieldOf(def, name);
      if (!f) throw invalidField(name, def.name);
      if (creating ? !f.createable : !f.updateable) {
        readOnly.push(f.name);
        continue;
      }
      const result = this.coerce(def, f, raw);
      if ('error' in result) errors.push(result.error);
      else base[f.name] = result.value;
    }
    if (readOnly.length) {
      errors.push(sfError('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to ${creating ? 'create' : 'create/update'} fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, readOnly));
    }
    return errors;
  }

  private checkRecord(def: ObjectDef, record: Record<string, unknown>, id: string | undefined): SfError[] {
    const missing = [...def.fields.values()].filter((f) => f.required && (record[f.name] === null || record[f.name] === undefined)).map((f) => f.name);
    if (missing.length) return [sfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)];
    for (const f of def.fields.values()) {
      if (!(f.unique || f.externalId) || record[f.name] === null || record[f.name] === undefined) continue;
      const clash = [...this.store.lookup(def.name, f.name, record[f.name])].find((r) => r.Id !== id && String(r[f.name]).toLowerCase() === String(record[f.name]).toLowerCase());
      if (clash && f.unique) {
        return [sfError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${clash.Id}`, [f.name])];
      }
    }
    for (const rule of this.store.validationRules) {
      if (rule.object.toLowerCase() === def.name.toLowerCase() && rule.violated(record)) {
        return [sfError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, rule.field ? [rule.field] : [])];
      }
    }
    return [];
  }

  /** Fields the platform maintains. */
  private derive(def: ObjectDef, record: Record<string, unknown>, changed: Record<string, unknown>): void {
    if (def.name === 'Opportunity' && 'StageName' in changed) {
      const stage = this.store.all('OpportunityStage').find((s) => s.MasterLabel === record.StageName);
      if (stage) {
        record.IsClosed = stage.IsClosed;
        record.IsWon = stage.IsWon;
        record.ForecastCategoryName = stage.ForecastCategoryName;
        if (!('Probability' in changed)) record.Probability = stage.DefaultProbability;
      }
    }
    if ((def.name === 'Contact' || def.name === 'User') && ('FirstName' in changed || 'LastName' in changed)) {
      record.Name = [record.FirstName, record.LastName].filter((p) => p).join(' ');
    }
    if (def.name === 'OpportunityTeamMember') {
      const user = this.store.get('User', String(record.UserId));
      record.Name = user?.Name ?? null;
      record.Title = user?.Title ?? null;
    }
  }

  /**
   * Salesforce's own stage history: a row when an opportunity is created and whenever its Amount,
   * Probability, StageName or CloseDate change (OpportunityHistory object reference).
   */
  private recordHistory(def: ObjectDef, record: Rec, changed: readonly string[]): void {
    if (def.name !== 'Opportunity' || !changed.some((f) => HISTORY_FIELDS.includes(f))) return;
    const row: Record<string, unknown> = { Id: this.store.ids.next('008'), OpportunityId: record.Id, StageName: record.StageName, Amount: record.Amount ?? null, CloseDate: record.CloseDate ?? null, Probability: record.Probability ?? null, ForecastCategory: record.ForecastCategoryName ?? null, IsDeleted: false };
    this.stamp(row, { userId: String(record.LastModifiedById ?? record.CreatedById ?? '') }, true);
    this.store.put('OpportunityHistory', row as Rec);
  }

  /** Only one primary contact role per opportunity. */
  private afterSave(def: ObjectDef, record: Rec): void {
    if (def.name === 'OpportunityContactRole' && record.IsPrimary === true) {
      for (const other of this.store.lookup('OpportunityContactRole', 'OpportunityId', record.OpportunityId)) {
        if (other.Id !== record.Id && other.OpportunityId === record.OpportunityId && other.IsPrimary) this.store.assign('OpportunityContactRole', other, { IsPrimary: false });
      }
    }
  }

  private stamp(record: Record<string, unknown>, options: DmlOptions, creating: boolean): void {
    const now = this.store.now();
    if (creating) {
      record.CreatedDate = now;
      record.CreatedById = options.userId;
      record.IsDeleted = false;
    }
    if (!options.systemOnly || creating) {
      record.LastModifiedDate = now;
      record.LastModifiedById = options.userId;
    }
    record.SystemModstamp = now;
  }

  create(type: string, values: Record<string, unknown>, options: DmlOptions): DmlResult {
    const def = this.requireObject(type);
    const record: Record<string, unknown> = {};
    for (const f of def.fields.values()) record[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    if (def.fields.has('ownerid')) record.OwnerId = options.userId;
    const errors = this.assign(def, record, values, true);
    if (errors.length) return { ok: false, errors };
    runBeforeSaveFlows(this.store.beforeSaveFlows, def.name, 'insert', record, new Set(Object.keys(values)));
    const invalid = this.checkRecord(def, record, undefined);
    if (invalid.length) return { ok: false, errors: invalid };
    record.Id = this.store.ids.next(def.keyPrefix);
    this.derive(def, record, { ...values, StageName: record.StageName, FirstName: true });
    this.stamp(record, options, true);
    const stored = fastLayout(record) as Rec;
    this.store.put(def.name, stored);
    this.afterSave(def, stored);
    this.recordHistory(def, stored, HISTORY_FIELDS);
    return { ok: true, id: stored.Id, created: true };
  }

  update(type: string, id: string, values: Record<string, unknown>, options: DmlOptions): DmlResult {
    const def = this.requireObject(type);
    const existing = toId18(id) ? this.store.get(def.name, id) : undefined;
    if (!existing) {
      const code = toId18(id) ? 'ENTITY_IS_DELETED' : 'MALFORMED_ID';
      const message = toId18(id) ? 'entity is deleted' : `malformed id ${id}`;
      return { ok: false, errors: [sfError(code === 'ENTITY_IS_DELETED' && !this.wasDeleted(id) ? 'INVALID_CROSS_REFERENCE_KEY' : code, code === 'ENTITY_IS_DELETED' && !this.wasDeleted(id) ? 'invalid cross reference id' : message)] };
    }
    // A converted lead is read-only: Salesforce refuses any update of it (Lead object reference, "Converting Leads").
    if (def.name === 'Lead' && existing.IsConverted === true) return { ok: false, id: existing.Id, errors: [sfError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead')] };
    const draft: Record<string, unknown> = { ...existing };
    const errors = this.assign(def, draft, values, false);
    if (errors.length) return { ok: false, id: existing.Id, errors };
    runBeforeSaveFlows(this.store.beforeSaveFlows, def.name, 'update', draft, new Set(Object.keys(values).filter((name) => draft[name] !== existing[name])));
    const invalid = this.checkRecord(def, draft, existing.Id);
    if (invalid.length) return { ok: false, id: existing.Id, errors: invalid };
    this.derive(def, draft, values);
    this.stamp(draft, options, false);
    const moved = HISTORY_FIELDS.filter((f) => draft[f] !== existing[f]);
    this.store.assign(def.name, existing, draft);
    this.afterSave(def, existing);
    this.recordHistory(def, existing, moved);
    return { ok: true, id: existing.Id, created: false };
  }

  private wasDeleted(id: string): boolean {
    const id18 = toId18(id)?.toUpperCase();
    return this.store.deletedLog.some((d) => d.id.toUpperCase() === id18);
  }

  /** Upsert by external ID: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm */
  upsert(type: string, externalField: string, value: string, values: Record<string, unknown>, options: DmlOptions): DmlResult | { ok: false; multiple: string[] } {
    const def = this.requireObject(type);
    const f = this.store.fieldOf(def, externalField);
    if (!f || !(f.externalId || f.name === 'Id')) throw new SfFault(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${externalField}`);
    const matches = this.store.matching(def.name, f.name, value);
    if (matches.length > 1) return { ok: false, multiple: matches.map((m) => m.Id) };
    const { [f.name]: _ignored, ...rest } = values;
    if (matches[0]) return this.update(def.name, matches[0].Id, rest, options);
    return this.create(def.name, { ...rest, [f.name]: value }, options);
  }

  delete(id: string): DmlResult {
    const found = toId18(id) ? this.store.find(id) : undefined;
    if (!found) return { ok: false, errors: [sfError(this.wasDeleted(id) ? 'ENTITY_IS_DELETED' : 'INVALID_CROSS_REFERENCE_KEY', this.wasDeleted(id) ? 'entity is deleted' : 'invalid cross reference id')] };
    this.cascade(found.type, found.record.Id);
    return { ok: true, id: found.record.Id };
  }

  private cascade(type: string, id: string): void {
    const record = this.store.get(type, id);
    this.store.remove(type, id);
    const deletedDate = this.store.now();
    this.store.deletedLog.push({ type, id, deletedDate, ...(record ? binned(type, record, deletedDate) : {}) });
    for (const child of this.store.objects.values()) {
      for (const f of child.fields.values()) {
        if (f.cascadeDelete && f.referenceTo?.toLowerCase() === type.toLowerCase()) {
          for (const row of [...this.store.lookup(child.name, f.name, id)].filter((r) => r[f.name] === id)) this.cascade(child.name, row.Id);
        }
      }
    }
  }
}
