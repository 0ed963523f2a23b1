/** Field paths of the sandbox's SOQL evaluator: resolving `Account.Owner.Name` and reading it from a row. */
import { invalidField, SfFault } from './errors.js';
import type { Access } from './indexes.js';
import type { FieldDef, ObjectDef } from './schema.js';
import type { Rec } from './store.js';

/** Where a query finds objects and rows: the org itself or the Tooling API's metadata views. */
export interface QuerySource {
  object(name: string): ObjectDef | undefined;
  rows(def: ObjectDef): Rec[];
  /** Indexed access (the org has it; the Tooling API's small metadata views are scanned). */
  reach?(def: ObjectDef, access: Access): Rec[];
  estimate?(def: ObjectDef, access: Access): number;
  get(type: string, id: string): Rec | undefined;
  /** Field-level security: a field the user cannot read, answered as if it did not exist. */
  hidden?(def: ObjectDef, field: string): boolean;
  allObjects(): Iterable<ObjectDef>;
  /** Base of record URLs, e.g. `/services/data/v62.0/sobjects`. */
  urlBase: string;
  nowMs: number;
}

export interface CompiledQuery {
  def: ObjectDef;
  count: boolean;
  rows: Rec[];
  project(row: Rec): Record<string, unknown>;
  /** The SELECT has parent-to-child subqueries: a projected row carries child query results (query-pages.ts). */
  subqueries?: boolean;
  /** How many custom long text fields the statement selects, its subqueries' included (query-pages.ts). */
  longTextFields?: number;
}

export type Path = { def: ObjectDef; field: FieldDef; via: FieldDef[] };

export function resolvePath(source: QuerySource, def: ObjectDef, dotted: string): Path {
  const parts = dotted.split('.');
  let current = def;
  const via: FieldDef[] = [];
  // A path may start with the queried object's own name (`Opportunity.Name` in a query on Opportunity).
  if (parts.length > 1 && parts[0]!.toLowerCase() === def.name.toLowerCase()) parts.shift();
  for (let i = 0; i < parts.length - 1; i += 1) {
    const rel = parts[i]!.toLowerCase();
    const ref = [...current.fields.values()].find((f) => f.type === 'reference' && (f.relationshipName?.toLowerCase() === rel || (f.custom && f.name.replace(/__c$/i, '__r').toLowerCase() === rel)));
    const target = ref?.referenceTo ? source.object(ref.referenceTo) : undefined;
    if (!ref || !target) throw new SfFault(400, 'INVALID_FIELD', `Didn't understand relationship '${parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`, [], dotted);
    via.push(ref);
    current = target;
  }
  const last = parts[parts.length - 1]!;
  const field = current.fields.get(last.toLowerCase());
  if (!field || source.hidden?.(current, field.name)) throw invalidField(last, current.name, dotted);
  return { def: current, field, via };
}

export function readPath(source: QuerySource, row: Rec, path: Path): unknown {
  let current: Rec | undefined = row;
  for (const ref of path.via) {
    const id: unknown = current?.[ref.name];
    current = typeof id === 'string' && ref.referenceTo ? source.get(ref.referenceTo, id) : undefined;
    if (!current) return null;
  }
  return current[path.field.name] ?? null;
}

export function comparable(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'datetime') return Date.parse(String(value));
  if (typeof value === 'string' && field.type !== 'id' && field.type !== 'reference' && field.type !== 'date') return value.toLowerCase();
  return value;
}

export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

