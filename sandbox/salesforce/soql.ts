/**
 * A SOQL evaluator over the in-memory org, built on soql-parser-js: SELECT with child-to-parent paths
 * (`Account.Name`, `User.Email`) and parent-to-child subqueries, WHERE (comparisons, AND/OR/NOT, IN and
 * semi-joins, LIKE, null, date and datetime literals), ORDER BY (several fields, ASC/DESC, NULLS), LIMIT,
 * OFFSET and COUNT(). SOQL reference:
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql.htm
 */
import * as soqlParserModule from 'soql-parser-js';
import type { FieldType as ParsedField, Query } from 'soql-parser-js';
import { malformedQuery, SfFault } from './errors.js';
import { childRelationshipName, isCustomLongText, type FieldDef, type ObjectDef } from './schema.js';
import type { Rec } from './store.js';
import { comparable, compare, readPath, resolvePath, type CompiledQuery, type Path, type QuerySource } from './soql-paths.js';

import { whereFilter } from './soql-where.js';
import type { Access } from './indexes.js';
import { ALL } from './soql-plan.js';
import { formatDatetime } from './wire.js';

export type { CompiledQuery, QuerySource } from './soql-paths.js';

type SoqlParser = typeof import('soql-parser-js');
/**
 * soql-parser-js ships a webpack-built CommonJS `main` (Node's ESM loader sees only `default`) and an
 * ESM `module` build (named exports only); which one loads depends on the resolver, so accept both.
 */
const soqlParser: SoqlParser =
  typeof (soqlParserModule as Partial<SoqlParser>).parseQuery === 'function' ? soqlParserModule : (soqlParserModule as unknown as { default: SoqlParser }).default;

function sortRows(source: QuerySource, def: ObjectDef, rows: Rec[], orderBy: Query['orderBy']): Rec[] {
  const clauses = (Array.isArray(orderBy) ? orderBy : orderBy ? [orderBy] : []).map((o) => {
    const clause = o as { field?: string; order?: string; nulls?: string };
    if (!clause.field) throw malformedQuery('ORDER BY supports fields only');
    const path = resolvePath(source, def, clause.field);
    const desc = clause.order?.toUpperCase() === 'DESC';
    // Salesforce sorts nulls first by default (ascending or descending unless NULLS LAST).
    const nullsFirst = clause.nulls ? clause.nulls.toUpperCase() === 'FIRST' : !desc;
    return { path, desc, nullsFirst };
  });
  if (!clauses.length) return rows;
  const keyed = rows.map((row) => ({ row, keys: clauses.map((c) => comparable(c.path.field, readPath(source, row, c.path))) }));
  keyed.sort((a, b) => {
    for (let k = 0; k < clauses.length; k += 1) {
      const c = clauses[k]!;
      const x = a.keys[k];
      const y = b.keys[k];
      if (x === y) continue;
      if (x === null) return c.nullsFirst ? -1 : 1;
      if (y === null) return c.nullsFirst ? 1 : -1;
      const d = compare(x, y);
      if (d !== 0) return c.desc ? -d : d;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

function outputValue(field: FieldDef, value: unknown): unknown {
  if (value === undefined) return null;
  if (field.type === 'datetime' && typeof value === 'string') return formatDatetime(value);
  return value;
}

const attributesOf = (source: QuerySource, def: ObjectDef, id: unknown) => ({ type: def.name, url: `${source.urlBase}/${def.name}/${String(id)}` });

/** The rows of a query, optionally only the children of one parent (`restrict`), and how to project one. */
interface Prepared {
  def: ObjectDef;
  count: boolean;
  /** The custom long text fields selected (`Object.field`, lower case), the subqueries' included. */
  longText: Set<string>;
  select(restrict?: { field: string; id: string }): Rec[];
  project(row: Rec): Record<string, unknown>;
}

/** Parses and runs a query; the caller pages through `rows` and projects each one. */
export function compile(source: QuerySource, query: Query): CompiledQuery {
  const prepared = prepare(source, query);
  const subqueries = (query.fields ?? []).some((f) => f.type === 'FieldSubquery');
  const longTextFields = prepared.longText.size;
  return { def: prepared.def, count: prepared.count, rows: prepared.select(), project: prepared.project, ...(subqueries ? { subqueries } : {}), ...(longTextFields ? { longTextFields } : {}) };
}

function prepare(source: QuerySource, query: Query): Prepared {
  const def = source.object(query.sObject ?? '');
  if (!def) throw new SfFault(400, 'INVALID_TYPE', `sObject type '${query.sObject}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`, [], query.sObject ?? '');
  const fields = query.fields ?? [];
  const count = fields.some((f) => (f as { functionName?: string }).functionName?.toUpperCase() === 'COUNT');
  const projections: ((row: Rec, out: Record<string, unknown>) => void)[] = [];
  const longText = new Set<string>();
  const selected = (path: Path) => {
    if (isCustomLongText(path.field)) longText.add(`${path.def.name}.${path.field.name}`.toLowerCase());
    return path;
  };
  for (const f of fields as ParsedField[]) {
    if (f.type === 'Field') {
      const path = selected(resolvePath(source, def, f.field));
      projections.push((row, out) => { out[path.field.name] = outputValue(path.field, row[path.field.name]); });
    } else if (f.type === 'FieldRelationship') {
      const path = selected(resolvePath(source, def, [...f.relationships, f.field].join('.')));
      // Each step's object and output key are worked out once per statement, not once per row (a page
      // projects up to 2,000 rows).
      const steps = path.via.map((ref) => ({ name: ref.name, def: source.object(ref.referenceTo!)!, key: ref.relationshipName ?? ref.name.replace(/__c$/, '__r') }));
      const last = steps.length - 1;
      projections.push((row, out) => {
        let target: Record<string, unknown> = out;
        let current: Rec | undefined = row;
        for (let i = 0; i <= last; i += 1) {
          const step = steps[i]!;
          const id: unknown = current[step.name];
          current = typeof id === 'string' ? source.get(step.def.name, id) : undefined;
          if (!current) {
            if (target[step.key] === undefined) target[step.key] = null;
            return;
          }
          const existing = target[step.key] as Record<string, unknown> | null | undefined;
          target[step.key] = existing ?? { attributes: attributesOf(source, step.def, current.Id) };
          target = target[step.key] as Record<string, unknown>;
          if (i === last) target[path.field.name] = outputValue(path.field, current[path.field.name]);
        }
      });
    } else if (f.type === 'FieldSubquery') {
      const relName = f.subquery.relationshipName.toLowerCase();
      let child: { def: ObjectDef; field: FieldDef } | undefined;
      for (const candidate of source.allObjects()) {
        for (const cf of candidate.fields.values()) {
          if (cf.referenceTo?.toLowerCase() === def.name.toLowerCase() && childRelationshipName(candidate, cf)?.toLowerCase() === relName) child = { def: candidate, field: cf };
        }
      }
      if (!child) throw new SfFault(400, 'INVALID_TYPE', `Didn't understand relationship '${f.subquery.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
      const found = child;
      const inner = prepare(source, { ...f.subquery, sObject: found.def.name });
      for (const name of inner.longText) longText.add(name);
      const key = childRelationshipName(found.def, found.field)!;
      // Each parent's children are found through the lookup field's index, with the subquery's WHERE,
      // ORDER BY and LIMIT applied per parent, as Salesforce applies them.
      projections.push((row, out) => {
        const kids = inner.select({ field: found.field.name, id: row.Id });
        out[key] = kids.length ? { totalSize: kids.length, done: true, records: kids.map((k) => inner.project(k)) } : null;
      });
    } else if (!count) {
      throw malformedQuery(`Unsupported field expression in the sandbox: ${JSON.stringify(f)}`);
    }
  }
  const filter = query.where ? whereFilter(source, def, query.where, (inner) => compile(source, inner).rows) : { test: () => true, access: ALL };
  const select = (restrict?: { field: string; id: string }): Rec[] => {
    // The index narrows the rows to look at; the full WHERE still decides each one.
    const access: Access = restrict ? { kind: 'keys', field: restrict.field, values: [restrict.id] } : filter.access;
    const reached = source.reach ? source.reach(def, access) : source.rows(def);
    let rows = reached.filter((r) => (!restrict || r[restrict.field] === restrict.id) && filter.test(r));
    rows = sortRows(source, def, rows, query.orderBy);
    if (query.offset) rows = rows.slice(query.offset);
    if (query.limit !== undefined) rows = rows.slice(0, query.limit);
    return rows;
  };
  // Every projection sets its key on every row, in the same order, so all rows of a statement have the
  // same keys: the first row's keys become a template that later rows are copied from. A row built key by
  // key (`out[name] = …`, some 40 fields) fell into V8's dictionary mode after 16 properties, which made
  // building it, and JSON.stringify of a 2,000-row page, about twice as slow; copies of the template keep
  // one shared fast layout. The JSON (keys, their order, values) is the same.
  let template: Record<string, unknown> | undefined;
  return {
    def,
    count,
    longText,
    select,
    project(row) {
      const out: Record<string, unknown> = template ? { ...template } : {};
      out.attributes = attributesOf(source, def, row.Id);
      for (const p of projections) p(row, out);
      template ??= templateOf(out);
      return out;
    },
  };
}

/** An object with `row`'s keys in `row`'s order (values null), in V8's fast layout (Object.fromEntries builds one). */
function templateOf(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(row).map((key) => [key, null]));
}

export function parseSoql(text: string): Query {
  try {
    return soqlParser.parseQuery(text);
  } catch (error) {
    // The parser names the token it did not expect last ("… but found: 'FROM'", "… but found --> 'abc' <--").
    const found = [...(error as Error).message.matchAll(/but found(?::| -->) '([^']*)'/g)].at(-1)?.[1];
    if (found === undefined) throw malformedQuery((error as Error).message.split('\n')[0]!, '');
    throw malformedQuery(`unexpected token: '${found === '' ? '<EOF>' : found}'`, found);
  }
}
