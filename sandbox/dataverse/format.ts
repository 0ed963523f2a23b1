/**
 * Turns stored rows into what the Web API returns: `@odata.etag`, selected columns only, lookups as
 * `_x_value`, DateOnly columns as `YYYY-MM-DD`, and `$expand`ed related rows.
 */
import { CODES, DataverseError } from './api-types.js';
import type { DataverseStore, Row, TableState } from './store.js';
import type { TableDef } from './schema.js';

export interface ExpandItem {
  nav: string;
  select?: string[];
}

/** The name a column has on the wire: lookups are `_x_value`. */
export function wireName(def: TableDef, logicalName: string): string {
  const col = def.columns.get(logicalName);
  return col && (col.type === 'Lookup' || col.type === 'Customer' || col.type === 'Owner') ? `_${logicalName}_value` : logicalName;
}

/** Every wire name a table answers to, mapped to its column. */
export function wireColumns(def: TableDef): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of def.columns.keys()) out.set(wireName(def, name), name);
  return out;
}

export const etagOf = (row: Row): string => `W/"${String(row.versionnumber)}"`;

/** Splits `a,b($select=x,y),c` at top-level commas. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

export function parseExpand(text: string | null): ExpandItem[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
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

/** One row as the Web API shows it. */
export function formatRow(def: TableDef, row: Row, select?: string[]): Row {
  const out: Row = { '@odata.etag': etagOf(row) };
  // A selected Money column brings its currency with it, as in the documentation's create-with-data-returned answer.
  const withCurrency = select?.some((name) => def.columns.get(name)?.type === 'Money') && def.columns.has('transactioncurrencyid');
  const names = select && select.length > 0 ? [...new Set([...select, def.key, ...(withCurrency ? ['_transactioncurrencyid_value'] : [])])] : [...wireColumns(def).keys()];
  const wire = wireColumns(def);
  for (const name of names) {
    const logical = wire.get(name);
    if (!logical) continue;
    const col = def.columns.get(logical)!;
    let value = row[name] ?? null;
    if (col.dateOnly && typeof value === 'string') value = value.slice(0, 10);
    out[name] = value;
  }
  return out;
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
      rows.forEach((row, i) => {
        const id = row[`_${single.column}_value`];
        const related = typeof id === 'string' ? target?.rows.get(id) : undefined;
        const lookupTarget = row[`_${single.column}_value@target`];
        const matches = related && (lookupTarget === undefined || lookupTarget === single.target);
        formatted[i]![item.nav] = matches && target ? formatRow(target.def, related, item.select) : null;
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
    rows.forEach((row, i) => {
      formatted[i]![item.nav] = (byParent.get(String(row[state.def.key])) ?? []).map((c) => formatRow(child.def, c, item.select));
    });
  }
}
