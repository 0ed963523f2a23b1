/**
 * The sandbox environment's state: table definitions, rows, one organisation-wide row version counter
 * (Dataverse's `versionnumber`), a deletion log per table for change tracking, relationships, and the
 * privileges of the application user. Pure data and bookkeeping: no HTTP here.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { SandboxClock } from '../common/clock.js';
import { DEFAULT_CHANGE_TRACKING, type ChangeTrackingReading } from './change-tracking-reading.js';
import { RowIndex } from './row-index.js';
import { addColumn, type ColumnDef, type RelationshipDef, type TableDef } from './schema.js';
import { leadAndViewTables } from './lead-and-view-tables.js';
import { standardTables } from './standard-tables.js';
import { SELLER_USER_ID } from './seed.js';

export type Row = Record<string, unknown>;

const PRIVILEGE_VERBS = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo'] as const;
/**
 * Standard tables' privileges use their display names (prvReadUser, prvReadLead); custom ones their logical
 * names. Activity tables such as task share the Activity privileges (prvReadActivity).
 */
const PRIVILEGE_TABLE_NAMES: Record<string, string> = {
  systemuser: 'User', opportunity: 'Opportunity', account: 'Account', contact: 'Contact', lead: 'Lead', task: 'Activity', opportunityclose: 'Activity',
};

/** `prvReadOpportunity`, `prvCreatecosell_teammember`: the names RetrieveUserPrivileges reports. */
export function privilegeName(verb: string, logicalName: string): string {
  return `prv${verb}${PRIVILEGE_TABLE_NAMES[logicalName] ?? logicalName}`;
}

/** A stable GUID per privilege name, so repeated calls agree. */
export function privilegeId(name: string): string {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}0000`;
}

export interface Deletion {
  id: string;
  version: number;
}

export interface TableState {
  def: TableDef;
  /** Read freely; written only through the store, which keeps `index` current. */
  rows: Map<string, Row>;
  deleted: Deletion[];
  index: RowIndex;
}

function newTableState(def: TableDef, rows: Map<string, Row>, deleted: Deletion[]): TableState {
  return { def, rows, deleted, index: new RowIndex(rows) };
}

/** Sets or deletes one row, and follows it in the table's indexes. */
function setRow(state: TableState, id: string, row: Row | undefined): void {
  const before = state.rows.get(id);
  if (row) state.rows.set(id, row);
  else state.rows.delete(id);
  state.index.changed(id, before, row);
}

/**
 * A synchronous plug-in step an organisation registered on Create or Update of a table, as admins do to
 * enforce their own rules: it sees the row as it would be saved and may refuse it, which Dataverse answers
 * with 400 and code 0x80040265 carrying the plug-in's message (InvalidPluginExecutionException).
 */
export interface PluginStep {
  table: string;
  messages: readonly ('Create' | 'Update')[];
  /** The plug-in's message when it refuses the row, or undefined to let the save go on. */
  refuses(row: Readonly<Row>): string | undefined;
  /**
   * A PreOperation step that changes the Target before the main operation: the columns it sets are saved
   * with the request's, in the same transaction, as one change (one `versionnumber`, one `modifiedon`).
   * "Change data before it's saved" (learn.microsoft.com/training/modules/common-low-code-plug-in/data-manipulation):
   * setting them in pre-operation "ensures your changes are included when the row is saved instead of as a
   * separate update". Given the row as it would be saved; nothing to set is `{}`.
   */
  sets?(row: Readonly<Row>): Row;
}

/** Dataverse datetimes: UTC, a Z suffix, no milliseconds. */
export const dataverseDateTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Dataverse's largest page: `odata.maxpagesize` above it, or none, gets 5,000 rows (page-results). */
export const MAX_PAGE_SIZE = 5000;

export class DataverseStore {
  readonly tables = new Map<string, TableState>();
  readonly relationships = new Map<string, RelationshipDef>();
  /** Privilege names the application user holds through its security role. */
  readonly privileges = new Set<string>();
  /** Plug-in steps registered by the organisation (tests add them; none by default). */
  plugins: PluginStep[] = [];
  version = 1000;
  /** How change-tracking listings treat rows changed while they are paged (change-tracking.ts). */
  changeTracking: ChangeTrackingReading = DEFAULT_CHANGE_TRACKING;
  /**
   * The most rows one page holds, whatever `odata.maxpagesize` asks: Dataverse's 5,000. A test lowers it so
   * that a few rows stand for more than a page, as a client sends the `Prefer` it would send in production.
   */
  pageLimit = MAX_PAGE_SIZE;
  /** The user whose request is being handled (api.ts `dispatch`): saved rows name it in `createdby` / `modifiedby`. */
  caller: string | undefined;
  /** Called after each operation of a `$batch` (tests: a seller's save between two of its GETs). */
  afterBatchOperation?: (method: string, path: string, query: URLSearchParams) => void;
  /** Undo steps of the open change set, newest last; undefined outside a change set. */
  private journal: (() => void)[] | undefined;
  readonly organizationId = 'f0c05e11-0000-4000-8000-00000000d7a7';
  readonly businessUnitId = 'b0c05e11-0000-4000-8000-00000000d7a7';

  constructor(readonly clock: SandboxClock) {
    const standard = standardTables();
    for (const def of [...standard, ...leadAndViewTables(standard)]) this.addTable(def);
  }

  addTable(def: TableDef): TableState {
    const state = newTableState(def, new Map(), []);
    this.tables.set(def.logicalName, state);
    for (const verb of PRIVILEGE_VERBS) this.privileges.add(privilegeName(verb, def.logicalName));
    return state;
  }

  table(logicalName: string): TableState | undefined {
    return this.tables.get(logicalName);
  }

  bySet(entitySet: string): TableState | undefined {
    for (const state of this.tables.values()) if (state.def.entitySet === entitySet) return state;
    return undefined;
  }

  nextVersion(): number {
    this.version += 1;
    return this.version;
  }

  /** Inserts a row with platform columns set; `values` uses logical names and `_x_value` for lookups. */
  insert(logicalName: string, values: Row, id: string = randomUUID()): Row {
    const state = this.mustTable(logicalName);
    const now = dataverseDateTime(this.clock.now());
    const row: Row = { statecode: 0, statuscode: 1, ...values, [state.def.key]: id, createdon: now, modifiedon: now, versionnumber: this.nextVersion(), ...this.savedBy(state.def, true) };
    this.derive(state.def, row);
    setRow(state, id, row);
    this.journal?.push(() => setRow(state, id, undefined));
    return row;
  }

  /** Applies changes to an existing row and advances its version and `modifiedon`. */
  update(logicalName: string, id: string, changes: Row): Row {
    const state = this.mustTable(logicalName);
    const row = state.rows.get(id);
    if (!row) throw new Error(`${logicalName} ${id} does not exist`);
    const next: Row = { ...row, ...changes, modifiedon: dataverseDateTime(this.clock.now()), versionnumber: this.nextVersion(), ...this.savedBy(state.def, false) };
    this.derive(state.def, next);
    setRow(state, id, next);
    this.journal?.push(() => setRow(state, id, row));
    return next;
  }

  /**
   * `_createdby_value` / `_modifiedby_value` of a row the current caller saves. Dataverse records the saver of
   * every save; outside a request (seeding, a test's or the console's direct edit) the saver is the seller, so a
   * direct edit never keeps the previous saver (an edit after the connector's write read as its own).
   */
  private savedBy(def: TableDef, created: boolean): Row {
    if (!def.columns.has('modifiedby')) return {};
    const saver = this.caller ?? SELLER_USER_ID;
    const by = { _modifiedby_value: saver, '_modifiedby_value@target': 'systemuser' };
    return created ? { ...by, _createdby_value: saver, '_createdby_value@target': 'systemuser' } : by;
  }

  /** Deletes a row, logs it for change tracking and cascades to child rows of cascading relationships. */
  remove(logicalName: string, id: string): boolean {
    const state = this.mustTable(logicalName);
    const row = state.rows.get(id);
    if (!row) return false;
    setRow(state, id, undefined);
    state.deleted.push({ id, version: this.nextVersion() });
    this.journal?.push(() => {
      setRow(state, id, row);
      state.deleted = state.deleted.filter((d) => d.id !== id);
    });
    for (const rel of this.relationships.values()) {
      if (rel.referencedEntity !== logicalName || !rel.cascadeDelete) continue;
      const child = this.table(rel.referencingEntity);
      if (!child) continue;
      const lookup = `_${rel.lookupColumn}_value`;
      const children = child.index.inTableOrder(child.index.withValue(lookup, id) ?? child.rows.keys()).filter((r) => r[lookup] === id);
      for (const childRow of children) this.remove(rel.referencingEntity, String(childRow[child.def.key]));
    }
    return true;
  }

  /** Starts an atomic change set: every row change until commit or rollback can be undone. */
  begin(): void {
    this.journal = [];
  }

  commit(): void {
    this.journal = undefined;
  }

  rollback(): void {
    const steps = this.journal ?? [];
    this.journal = undefined;
    for (const undo of steps.reverse()) undo();
  }

  addCustomColumn(logicalName: string, col: ColumnDef): void {
    addColumn(this.mustTable(logicalName).def, col);
  }

  private derive(def: TableDef, row: Row): void {
    if (def.columns.has('fullname') && (def.logicalName === 'contact' || def.logicalName === 'systemuser')) {
      row.fullname = [row.firstname, row.lastname].filter((p) => typeof p === 'string' && p !== '').join(' ');
    }
    // The platform keeps a record's owning business unit: its owner's (the root unit when the user has none).
    if (def.columns.has('owningbusinessunit') && typeof row._ownerid_value === 'string') {
      const owner = this.tables.get('systemuser')?.rows.get(row._ownerid_value);
      row._owningbusinessunit_value = (owner?._businessunitid_value as string | undefined) ?? this.businessUnitId;
      row['_owningbusinessunit_value@target'] = 'businessunit';
    }
  }

  private mustTable(logicalName: string): TableState {
    const state = this.tables.get(logicalName);
    if (!state) throw new Error(`no table ${logicalName}`);
    return state;
  }

  toJSON(): unknown {
    return {
      version: this.version,
      privileges: [...this.privileges],
      relationships: [...this.relationships.values()],
      tables: [...this.tables.values()].map((t) => ({
        def: { ...t.def, columns: [...t.def.columns.values()], navigation: [...t.def.navigation], collections: [...t.def.collections] },
        rows: [...t.rows.values()],
        deleted: t.deleted,
      })),
    };
  }

  save(file: string): void {
    writeFileSync(file, JSON.stringify(this));
  }

  /** Replaces the state with a saved one (the format of {@link DataverseStore.toJSON}). */
  load(file: string): void {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      version: number;
      privileges: string[];
      relationships: RelationshipDef[];
      tables: { def: TableDef & { columns: ColumnDef[]; navigation: [string, { column: string; target: string }][]; collections: [string, TableDef['collections'] extends Map<string, infer V> ? V : never][] }; rows: Row[]; deleted: Deletion[] }[];
    };
    this.version = saved.version;
    this.privileges.clear();
    saved.privileges.forEach((p) => this.privileges.add(p));
    this.relationships.clear();
    saved.relationships.forEach((r) => this.relationships.set(r.schemaName, r));
    this.tables.clear();
    for (const t of saved.tables) {
      const def: TableDef = {
        ...t.def,
        columns: new Map(t.def.columns.map((c) => [c.logicalName, c])),
        navigation: new Map(t.def.navigation),
        collections: new Map(t.def.collections),
      };
      this.tables.set(def.logicalName, newTableState(def, new Map(t.rows.map((r) => [String(r[def.key]), r])), t.deleted));
    }
  }
}
