/**
 * The sandbox org's state: metadata, records, the API usage count, issued tokens. Plain data that can be
 * written to and read from a JSON file (`persistFile`) so that a demo keeps its data between runs.
 */
import type { BeforeSaveFlow } from './before-save.js';
import fs from 'node:fs';
import type { SandboxClock } from '../common/clock.js';
import type { DeleteLogPurge } from './delete-log.js';
import { leadAndListViewObjects } from './schema-leads-views.js';
import { IdFactory, toId18 } from './ids.js';
import { Table, type Access } from './indexes.js';
import { DEFAULT_STAGES, standardObjects, type FieldDef, type ObjectDef } from './schema.js';

/** What toId18 accepts as an 18-character ID (15 base-62 characters and a checksum). */
const ID_18 = /^[a-zA-Z0-9]{15}[A-Z0-5]{3}$/;

export type Rec = Record<string, unknown> & { Id: string };

/** A rule the org enforces on save, like a Salesforce validation rule (FIELD_CUSTOM_VALIDATION_EXCEPTION). */
export interface ValidationRule {
  object: string;
  /** Error message shown to the user. */
  message: string;
  /** The field the error is displayed on, if any. */
  field?: string;
  /** True when the record (after the write) is invalid. */
  violated(record: Readonly<Record<string, unknown>>): boolean;
}

export interface IssuedToken {
  userId: string;
  expiresAtMs: number;
}

export interface MetadataEntry {
  id: string;
  fullName: string;
}

export function auditStamp(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();
}

export class SalesforceStore {
  readonly orgId: string;
  readonly ids = new IdFactory();
  readonly objects = new Map<string, ObjectDef>();
  private readonly tables = new Map<string, Table>();
  /**
   * The delete log getDeleted reads. An entry holds the row as it was deleted (`IsDeleted` true, its
   * SystemModstamp the deletion's) while it is in the Recycle Bin, where `queryAll` finds it
   * (recycle-bin.ts); a type that skips the Recycle Bin leaves only its ID and date.
   */
  readonly deletedLog: { type: string; id: string; deletedDate: string; record?: Rec }[] = [];
  /** Purges of the delete log (delete-log.ts): what getDeleted can no longer list. */
  readonly deletePurges: DeleteLogPurge[] = [];
  readonly tokens = new Map<string, IssuedToken>();
  readonly customFields: MetadataEntry[] = [];
  readonly customObjects: MetadataEntry[] = [];
  validationRules: ValidationRule[] = [];
  /** Before-save flows and triggers that rewrite fields on save (before-save.ts; none by default). */
  beforeSaveFlows: BeforeSaveFlow[] = [];
  /** Called after each subrequest of a Composite call (tests: a seller's save between the connector's PATCH and its read after). */
  afterCompositeSubrequest?: (method: string, path: string, referenceId: string | undefined) => void;
  /**
   * Field-level security of the API's user: fields (`Object.Field`) its profile and permission sets give no
   * Read access to. Salesforce leaves such a field out of describe and answers a query or a write naming it
   * as if it did not exist (INVALID_FIELD "No such column …"). None by default.
   */
  readonly hiddenFields = new Set<string>();
  apiUsage = 0;

  constructor(
    readonly clock: SandboxClock,
    public dailyLimit: number,
  ) {
    this.orgId = this.ids.next('00D');
    this.resetSchema();
  }

  resetSchema(): void {
    this.objects.clear();
    for (const def of [...standardObjects(), ...leadAndListViewObjects()]) this.objects.set(def.name.toLowerCase(), def);
    this.customFields.length = 0;
    this.customObjects.length = 0;
  }

  /** Empties the org: records, custom metadata, usage and tokens. */
  clear(): void {
    this.tables.clear();
    this.deletedLog.length = 0;
    this.deletePurges.length = 0;
    this.tokens.clear();
    this.apiUsage = 0;
    this.resetSchema();
  }

  object(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** Whether field-level security hides this field from the API's user (`hiddenFields`). */
  hidden(object: ObjectDef, field: string): boolean {
    return this.hiddenFields.size > 0 && [...this.hiddenFields].some((f) => f.toLowerCase() === `${object.name}.${field}`.toLowerCase());
  }

  fieldOf(object: ObjectDef, name: string): FieldDef | undefined {
    return object.fields.get(name.toLowerCase());
  }

  private table(type: string): Table {
    const key = type.toLowerCase();
    let table = this.tables.get(key);
    if (!table) {
      table = new Table();
      this.tables.set(key, table);
    }
    return table;
  }

  all(type: string): Rec[] {
    return [...this.table(type).rows()];
  }

  count(type: string): number {
    return this.table(type).size;
  }

  /** Rows of `type` whose `field` (its API name) may equal `value`, case-insensitively: test each one. */
  lookup(type: string, field: string, value: unknown): ReadonlySet<Rec> {
    return this.table(type).lookup(field, value);
  }

  /**
   * Rows of `type` whose `field` equals `value` as upsert and GET by external ID compare them: as text,
   * case-insensitively, a missing value reading as ''.
   */
  matching(type: string, field: string, value: string): Rec[] {
    const candidates = value === '' ? this.all(type) : this.lookup(type, field, value);
    return [...candidates].filter((r) => String(r[field] ?? '').toLowerCase() === value.toLowerCase());
  }

  /** Rows of `type` that `access` reaches, in insertion order (see indexes.ts). */
  reach(type: string, access: Access): Rec[] {
    return this.table(type).reach(access);
  }

  estimate(type: string, access: Access): number {
    return this.table(type).estimate(access);
  }

  get(type: string, id: string): Rec | undefined {
    // Rows are keyed by the upper-cased 18-character ID, which is what restoring an 18-character ID's
    // case and upper-casing it gives: only a 15-character one needs its checksum computed.
    if (id.length === 18 && ID_18.test(id)) return this.table(type).get(id.toUpperCase());
    const id18 = toId18(id);
    return id18 ? this.table(type).get(id18.toUpperCase()) : undefined;
  }

  /** Finds a record of any type by ID (key prefix decides the type). */
  find(id: string): { type: string; record: Rec } | undefined {
    const prefix = id.slice(0, 3);
    for (const def of this.objects.values()) {
      if (def.keyPrefix === prefix) {
        const record = this.get(def.name, id);
        return record ? { type: def.name, record } : undefined;
      }
    }
    return undefined;
  }

  put(type: string, record: Rec): void {
    this.table(type).put(record);
  }

  /** Changes fields of a stored record (every in-place change goes through here, to keep the indexes true). */
  assign(type: string, record: Rec, values: Record<string, unknown>): void {
    this.table(type).assign(record, values);
  }

  remove(type: string, id: string): void {
    this.table(type).remove(id.toUpperCase());
  }

  /**
   * The time for audit fields (CreatedDate, LastModifiedDate, SystemModstamp): whole seconds, as
   * Salesforce keeps them (they read `…:32.000+0000`, and SOQL compares them to the second), so many
   * records share one SystemModstamp and readers must break ties on Id.
   */
  now(): string {
    return auditStamp(this.clock.iso());
  }

  save(file: string): void {
    const data = {
      orgId: this.orgId,
      apiUsage: this.apiUsage,
      dailyLimit: this.dailyLimit,
      customFields: this.customFields,
      customObjects: this.customObjects,
      objects: [...this.objects.values()].filter((o) => o.custom || [...o.fields.values()].some((f) => f.custom)).map((o) => ({
        ...o,
        fields: [...o.fields.values()],
      })),
      tables: Object.fromEntries([...this.tables.entries()].map(([k, t]) => [k, [...t.rows()]])),
      deletedLog: this.deletedLog,
      deletePurges: this.deletePurges,
    };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(data));
    fs.renameSync(`${file}.tmp`, file);
  }

  load(file: string): boolean {
    if (!fs.existsSync(file)) return false;
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      apiUsage: number;
      customFields: MetadataEntry[];
      customObjects: MetadataEntry[];
      objects: (Omit<ObjectDef, 'fields'> & { fields: FieldDef[] })[];
      tables: Record<string, Rec[]>;
      deletedLog: SalesforceStore['deletedLog'];
      deletePurges?: DeleteLogPurge[];
    };
    this.clear();
    this.apiUsage = data.apiUsage;
    this.customFields.push(...data.customFields);
    this.customObjects.push(...data.customObjects);
    for (const o of data.objects) this.objects.set(o.name.toLowerCase(), { ...o, fields: new Map(o.fields.map((f) => [f.name.toLowerCase(), f])) });
    for (const [type, rows] of Object.entries(data.tables)) {
      for (const row of rows) {
        this.ids.observe(row.Id);
        this.table(type).put(row);
      }
    }
    for (const entry of [...data.customFields, ...data.customObjects]) this.ids.observe(entry.id);
    this.deletedLog.push(...data.deletedLog);
    this.deletePurges.push(...(data.deletePurges ?? []));
    return true;
  }
}

export { DEFAULT_STAGES };
