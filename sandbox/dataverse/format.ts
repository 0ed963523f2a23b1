/**
 * Turns stored rows into what the Web API returns: `@odata.etag`, selected columns only, lookups as
 * `_x_value`, DateOnly columns as `YYYY-MM-DD`, and `$expand`ed related rows.
 */
import { CODES, DataverseError } from './api-types.js';
import type { DataverseStore, Row, TableState } from './store.js';
import type { ColumnDef, TableDef } from './schema.js';

export interface ExpandItem {
  nav: string;
  select?: string[];
}

/** The name a column has on the wire: lookups are `_x_value`. */
export function wireName(def: TableDef, logicalName: string): string {
  const col = def.columns.get(logicalName);
  return col && (col.type === 'Lookup' || col.type === 'Customer' || col.type === 'Owner') ? `_${logicalName}_value` : logicalName;
}

/** The wire names of a table's columns as last built, with the column definitions they were built from. */
const wireCache = new WeakMap<TableDef['columns'], { built: ColumnDef[]; wire: ReadonlyMap<string, string> }>();

/**
 * Every wire name a table answers to, mapped to its column. Built once per table and used again while its
 * columns are the same definitions in the same order (a column added or replaced builds it again): every
 * row of a page is formatted through it.
 */
export function wireColumns(def: TableDef): ReadonlyMap<string, string> {
  const cached = wireCache.get(def.columns);
  if (cached && sameColumns(def.columns, cached.built)) return cached.wire;
  const out = new Map<string, string>();
  for (const name of def.columns.keys()) out.set(wireName(def, name), name);
  wireCache.set(def.columns, { built: [...def.columns.values()], wire: out });
  return out;
}

function sameColumns(columns: TableDef['columns'], built: readonly ColumnDef[]): boolean {
  if (columns.size !== built.length) return false;
  let i = 0;
  for (const col of columns.values()) if (col !== built[i++]) return false;
  return true;
}

export const etagOf = (row: Row): string => `W/"${String(row.versionnumber)}"`;

/** Splits `a,b($select=x,y),c` at top-level commas (or `separator`). */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === separator && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** "You can include up to 15 $expand options in a query" (webapi/query/join-tables). */
export const MAX_EXPAND_OPTIONS = 15;

/**
 * The `$expand` options of a whole query: each item, and the items of the `$expand` nested in its options.
 * The limit is per query ("in a query", "each $expand option creates a join"); that nested options count
 * towards it is our reading (UNVERIFIED: the page does not say).
 */
export function expandOptionCount(text: string): number {
  return splitTopLevel(text).reduce((sum, part) => {
    const inner = /^[A-Za-z0-9_]+\((.*)\)$/.exec(part)?.[1] ?? '';
    const nested = splitTopLevel(inner, ';').find((option) => option.startsWith('$expand='));
    return sum + 1 + (nested ? expandOptionCount(nested.slice('$expand='.length)) : 0);
  }, 0);
}

export function parseExpand(text: string | null): ExpandItem[] {
  if (!text) return [];
  const parts = splitTopLevel(text);
  const count = expandOptionCount(text);
  // The limit is documented; the words and code of the refusal are not (our reading: UNVERIFIED).
  if (count > MAX_EXPAND_OPTIONS) throw new DataverseError(400, CODES.queryOption, `The query has ${count} $expand options; at most ${MAX_EXPAND_OPTIONS} are allowed.`);
  return parts.map((part) => {
    const m = /^([A-Za-z0-9_]+)(?:\((.*)\))?$/.exec(part);
    if (!m) throw new DataverseError(400, CODES.queryOption, `The $expand item '${part}' is not valid.`);
    const options = new URLSearchParams(m[2] ? m[2].replace(/;/g, '&') : '');
    const select = options.get('$select');
    return { nav: m[1]!, ...(select ? { select: select.split(',').map((s) => s.trim()) } : {}) };
  });
}

export function checkSelect(def: TableDef, select: string[] | undefined): void {
  const known = wireColumns(def);
  for (const name of select ?? []) {
    if (!known.has(name)) {
      throw new DataverseError(400, CODES.propertyNotFound, `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${def.logicalName}'.`);
    }
  }
}

/** The formatters {@link formatRow} built for a table's columns as last built, by `$select`. */
const formatterCache = new WeakMap<TableDef['columns'], { built: ColumnDef[]; key: string; bySelect: Map<string, (row: Row) => Row> }>();
/** Distinct `$select` lists kept per table before the cache starts again. */
const FORMATTERS_KEPT = 64;

/**
 * One row as the Web API shows it. The formatter is built once per table and `$select` and used again
 * while the table's columns are the same definitions in the same order (as {@link wireColumns}): a
 * `$batch` of 1,000 PATCHes with `return=representation` formats 1,000 rows with one.
 */
export function formatRow(def: TableDef, row: Row, select?: string[]): Row {
  let cached = formatterCache.get(def.columns);
  if (!cached || cached.key !== def.key || !sameColumns(def.columns, cached.built) || cached.bySelect.size >= FORMATTERS_KEPT) {
    cached = { built: [...def.columns.values()], key: def.key, bySelect: new Map() };
    formatterCache.set(def.columns, cached);
  }
  const selectKey = select && select.length > 0 ? `select:${select.join('\u0000')}` : '*';
  let format = cached.bySelect.get(selectKey);
  if (!format) cached.bySelect.set(selectKey, (format = rowFormatter(def, select)));
  return format(row);
}

/** Formats rows as {@link formatRow} does, with the columns to show worked out once for all of them (a page). */
export function rowFormatter(def: TableDef, select?: string[]): (row: Row) => Row {
  // A selected Money column brings its currency with it, as in the documentation's create-with-data-returned answer.
  const withCurrency = select?.some((name) => def.columns.get(name)?.type === 'Money') && def.columns.has('transactioncurrencyid');
  const names = select && select.length > 0 ? [...new Set([...select, def.key, ...(withCurrency ? ['_transactioncurrencyid_value'] : [])])] : [...wireColumns(def).keys()];
  const wire = wireColumns(def);
  const shown: { name: string; dateOnly: boolean }[] = [];
  for (const name of names) {
    const logical = wire.get(name);
    if (logical) shown.push({ name, dateOnly: def.columns.get(logical)!.dateOnly === true });
  }
  // Rows are copies of a template with every shown key in order: set key by key, a row of more than 16
  // columns fell into V8's slow dictionary layout, for its building and for JSON.stringify of the page
  // (sandbox/common/fast-layout.ts). The keys, their order and the values are the same.
  const template: Row = Object.fromEntries([['@odata.etag', null], ...shown.map(({ name }) => [name, null])]);
  return (row) => {
    const out: Row = { ...template };
    out['@odata.etag'] = etagOf(row);
    for (const { name, dateOnly } of shown) {
      const value = row[name] ?? null;
      out[name] = dateOnly && typeof value === 'string' ? value.slice(0, 10) : value;
    }
    return out;
  };
}

/** Adds `$expand`ed navigation properties to formatted rows (single-valued and collection-valued). */
export function expandRows(store: DataverseStore, state: TableState, rows: Row[], formatted: Row[], expand: ExpandItem[]): void {
  for (const item of expand) {
    const single = state.def.navigation.get(item.nav);
    const collection = state.def.collections.get(item.nav);
    if (!single && !collection) {
      throw new DataverseError(400, CODES.propertyNotFound, `Could not find a property named '${item.nav}' on type 'Microsoft.Dynamics.CRM.${state.def.logicalName}'.`);
    }
    if (single) {
      const target = store.table(single.target);
      if (target) checkSelect(target.def, item.select);
      const format = target ? rowFormatter(target.def, item.select) : undefined;
      rows.forEach((row, i) => {
        const id = row[`_${single.column}_value`];
        const related = typeof id === 'string' ? target?.rows.get(id) : undefined;
        const lookupTarget = row[`_${single.column}_value@target`];
        const matches = related && (lookupTarget === undefined || lookupTarget === single.target);
        formatted[i]![item.nav] = matches && format ? format(related) : null;
      });
      continue;
    }
    const child = store.table(collection!.childTable)!;
    checkSelect(child.def, item.select);
    const byParent = new Map<string, Row[]>();
    const wanted = new Set(rows.map((r) => String(r[state.def.key])));
    const lookupWire = `_${collection!.lookupColumn}_value`;
    // The children of these rows only, through the lookup column's index (a scan when a key cannot find them).
    const found = [...wanted].map((id) => child.index.withValue(lookupWire, id));
    const candidates = found.every((ids) => ids !== undefined) ? found.flat() : [...child.rows.keys()];
    for (const childRow of child.index.inTableOrder(candidates)) {
      const parent = childRow[lookupWire];
      if (typeof parent !== 'string' || !wanted.has(parent)) continue;
      const list = byParent.get(parent) ?? [];
      list.push(childRow);
      byParent.set(parent, list);
    }
    const format = rowFormatter(child.def, item.select);
    rows.forEach((row, i) => {
      formatted[i]![item.nav] = (byParent.get(String(row[state.def.key])) ?? []).map(format);
    });
  }
}
