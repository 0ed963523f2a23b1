/**
 * A table's indexes, kept current on every row change (store.ts calls `changed`): rows by row version
 * (change tracking reads "after version v" as a search, not a scan and sort), and, built on first use,
 * rows by a column's value for `eq`/`In` (alternate keys, lookups such as `_parentaccountid_value`) and by
 * a date column's instant for `gt`/`ge`/`lt`/`le` (`modifiedon`). An index only narrows the rows a query
 * looks at: the filter still judges each of them, so answers are exactly those of a full scan.
 */
import { SortedKeys } from './sorted-keys.js';

type Row = Record<string, unknown>;

const isDateLike = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v);
const NULL_KEY = '\u0000null';

/**
 * The key under which `eq` and `In` find a value: the $filter compares strings and numbers as lower-cased
 * text, and null only to null (odata-filter.ts). Undefined for a value it compares otherwise (a date as an
 * instant, a boolean): rows holding one are looked at by every lookup.
 */
export function equalityKey(value: unknown): string | undefined {
  if (value === null || value === undefined) return NULL_KEY;
  if (typeof value === 'number' || (typeof value === 'string' && !isDateLike(value))) return String(value).toLowerCase();
  return undefined;
}

/** The instant a range comparison orders a date value by, or undefined when it compares it otherwise. */
export function instantOf(value: unknown): number | undefined {
  if (!isDateLike(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

interface ValueIndex {
  byKey: Map<string, Set<string>>;
  /** Rows whose value has no key: always looked at. */
  unkeyed: Set<string>;
}

interface InstantIndex {
  sorted: SortedKeys;
  unkeyed: Set<string>;
}

export type RangeOp = 'gt' | 'ge' | 'lt' | 'le';

export class RowIndex {
  private readonly values = new Map<string, ValueIndex>();
  private readonly instants = new Map<string, InstantIndex>();
  private readonly versions = new SortedKeys();
  /** Each row's place in the table's insertion order (a Map's iteration order), for related rows. */
  private readonly position = new Map<string, number>();
  private nextPosition = 0;

  constructor(private readonly rows: ReadonlyMap<string, Row>) {
    for (const [id, row] of rows) this.changed(id, undefined, row);
  }

  /** Follows one row change: inserted (no `before`), updated, or deleted (no `after`). */
  changed(id: string, before: Row | undefined, after: Row | undefined): void {
    if (!before && after) this.position.set(id, this.nextPosition++);
    if (before && !after) this.position.delete(id);
    const oldVersion = before ? Number(before.versionnumber) : undefined;
    const newVersion = after ? Number(after.versionnumber) : undefined;
    if (oldVersion !== newVersion) {
      if (oldVersion !== undefined) this.versions.delete(oldVersion, id);
      if (newVersion !== undefined) this.versions.add(newVersion, id);
    }
    for (const [column, index] of this.values) {
      if (before && after && before[column] === after[column]) continue;
      if (before) unindexValue(index, equalityKey(before[column]), id);
      if (after) indexValue(index, equalityKey(after[column]), id);
    }
    for (const [column, index] of this.instants) {
      if (before && after && before[column] === after[column]) continue;
      if (before) unindexInstant(index, instantOf(before[column]), id);
      if (after) indexInstant(index, instantOf(after[column]), id);
    }
  }

  /** Ids of the rows that may hold `value` in `column` (a superset), or undefined when no key finds it. */
  withValue(column: string, value: unknown): string[] | undefined {
    const key = equalityKey(value);
    if (key === undefined) return undefined;
    const index = this.valueIndex(column);
    return [...(index.byKey.get(key) ?? []), ...index.unkeyed];
  }

  /** Ids of the rows whose date in `column` may compare `op` to `literal`, or undefined for a literal that is no date. */
  inRange(column: string, op: RangeOp, literal: unknown): string[] | undefined {
    const ms = instantOf(literal);
    if (ms === undefined) return undefined;
    const index = this.instantIndex(column);
    const ids = op === 'gt' || op === 'ge' ? index.sorted.above(ms, op === 'ge') : index.sorted.below(ms, op === 'le');
    return [...ids, ...index.unkeyed];
  }

  /** Ids of the rows changed after `version`, oldest change first, at most `limit`. */
  changedAfter(version: number, limit: number): string[] {
    return this.versions.above(version, false, limit);
  }

  /** The rows in the order the table holds them (the order a full scan meets them). */
  inTableOrder(ids: Iterable<string>): Row[] {
    // Each row's place looked up once, not twice a comparison (a page's related rows: thousands).
    const placed: { at: number; row: Row }[] = [];
    for (const id of new Set(ids)) {
      const row = this.rows.get(id);
      if (row !== undefined) placed.push({ at: this.position.get(id)!, row });
    }
    return placed.sort((a, b) => a.at - b.at).map((entry) => entry.row);
  }

  private valueIndex(column: string): ValueIndex {
    let index = this.values.get(column);
    if (!index) {
      index = { byKey: new Map(), unkeyed: new Set() };
      for (const [id, row] of this.rows) indexValue(index, equalityKey(row[column]), id);
      this.values.set(column, index);
    }
    return index;
  }

  private instantIndex(column: string): InstantIndex {
    let index = this.instants.get(column);
    if (!index) {
      index = { sorted: new SortedKeys(), unkeyed: new Set() };
      for (const [id, row] of this.rows) indexInstant(index, instantOf(row[column]), id);
      this.instants.set(column, index);
    }
    return index;
  }
}

function indexValue(index: ValueIndex, key: string | undefined, id: string): void {
  if (key === undefined) return void index.unkeyed.add(id);
  let set = index.byKey.get(key);
  if (!set) index.byKey.set(key, (set = new Set()));
  set.add(id);
}

function unindexValue(index: ValueIndex, key: string | undefined, id: string): void {
  if (key === undefined) return void index.unkeyed.delete(id);
  const set = index.byKey.get(key);
  set?.delete(id);
  if (set?.size === 0) index.byKey.delete(key);
}

function indexInstant(index: InstantIndex, ms: number | undefined, id: string): void {
  if (ms === undefined) index.unkeyed.add(id);
  else index.sorted.add(ms, id);
}

function unindexInstant(index: InstantIndex, ms: number | undefined, id: string): void {
  if (ms === undefined) index.unkeyed.delete(id);
  else index.sorted.delete(ms, id);
}
