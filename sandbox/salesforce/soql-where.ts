/**
 * WHERE clauses of the sandbox's SOQL evaluator. soql-parser-js gives a right-leaning chain with
 * parenthesis counts on its conditions, so the chain is flattened into tokens and parsed again with
 * SOQL's precedence (NOT, then AND, then OR).
 */
import type { Condition, Query, WhereClause } from 'soql-parser-js';
import { malformedQuery, SfFault } from './errors.js';
import { escapeRegExp } from '../common/regexp.js';
import { toId18 } from './ids.js';
import type { FieldDef, ObjectDef } from './schema.js';
import type { Rec } from './store.js';
import { comparable, compare, readPath, resolvePath, type Path, type QuerySource } from './soql-paths.js';
import type { Access } from './indexes.js';
import { ALL, both, either, keysAccess, stampAccess, type Estimate } from './soql-plan.js';

/** Runs a semi-join's inner query (`Id IN (SELECT …)`) and returns its rows. */
export type InnerQuery = (query: Query) => Rec[];

function unquote(literal: string): string {
  const body = literal.startsWith("'") && literal.endsWith("'") ? literal.slice(1, -1) : literal;
  return body.replace(/\\(.)/g, (_m, ch: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[ch] ?? ch);
}

const DAY_MS = 86_400_000;

function dateLiteralRange(literal: string, n: number | undefined, nowMs: number): [number, number] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  switch (literal.split(':')[0]!.toUpperCase()) {
    case 'TODAY': return [today, today + DAY_MS];
    case 'YESTERDAY': return [today - DAY_MS, today];
    case 'TOMORROW': return [today + DAY_MS, today + 2 * DAY_MS];
    case 'LAST_N_DAYS': return [today - (n ?? 0) * DAY_MS, today + DAY_MS];
    case 'NEXT_N_DAYS': return [today + DAY_MS, today + ((n ?? 0) + 1) * DAY_MS];
    default: throw malformedQuery(`Unsupported date literal ${literal} in the sandbox`);
  }
}

type Literal = { kind: 'value'; value: unknown } | { kind: 'range'; from: number; to: number };

/**
 * Date, dateTime and number values are written unquoted in SOQL ("Date and dateTime field values … are not
 * enclosed in quotes", https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-dateformats.md);
 * a quoted one is refused, never compared as text. The message is the one clients quote (e.g.
 * django-salesforce#10, jpmonette/q#25); the errorCode INVALID_FIELD and the type name of int fields are UNVERIFIED.
 */
const UNQUOTED_TYPE_NAMES: Partial<Record<FieldDef['type'], string>> = { date: 'date', datetime: 'dateTime', double: 'double', currency: 'double', percent: 'double', int: 'integer' };

function refuseQuoted(field: FieldDef): void {
  const typeName = UNQUOTED_TYPE_NAMES[field.type];
  if (typeName) throw new SfFault(400, 'INVALID_FIELD', `value of filter criterion for field '${field.name}' must be of type ${typeName} and should not be enclosed in quotes`);
}

function literalOf(raw: string, type: string | undefined, field: FieldDef, nowMs: number, n?: number): Literal {
  switch (type) {
    case 'STRING': {
      refuseQuoted(field);
      const text = unquote(raw);
      return { kind: 'value', value: field.type === 'reference' || field.type === 'id' ? (toId18(text) ?? text) : text };
    }
    case 'INTEGER': case 'DECIMAL': case 'INTEGER_WITH_CURRENCY_PREFIX': case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return { kind: 'value', value: Number(raw.replace(/^[A-Z]{3}/, '')) };
    case 'BOOLEAN': return { kind: 'value', value: raw.toUpperCase() === 'TRUE' };
    case 'NULL': return { kind: 'value', value: null };
    case 'DATETIME': {
      const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(ms)) throw malformedQuery(`value of filter criterion for field '${field.name}' must be of type dateTime and should not be enclosed in quotes`);
      return { kind: 'value', value: ms };
    }
    case 'DATE': return field.type === 'datetime' ? { kind: 'range', from: Date.parse(raw), to: Date.parse(raw) + DAY_MS } : { kind: 'value', value: raw };
    case 'DATE_LITERAL': case 'DATE_N_LITERAL': {
      const [from, to] = dateLiteralRange(raw, n, nowMs);
      return { kind: 'range', from, to };
    }
    default: throw malformedQuery(`Unsupported literal ${raw}`);
  }
}

/** Comparable form of a stored value for this field. */
function likeToRegExp(pattern: string): RegExp {
  const source = escapeRegExp(pattern).replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${source}$`, 'is');
}

export type Predicate = (row: Rec) => boolean;

/** A condition's row test and the rows it can match (soql-plan.ts). */
interface Leaf {
  test: Predicate;
  access: Access;
}

function compileCondition(source: QuerySource, def: ObjectDef, c: Condition, inner: InnerQuery): Leaf {
  const cond = c as Condition & { field?: string };
  if (!cond.field) throw malformedQuery('Only field conditions are supported in WHERE');
  const path = resolvePath(source, def, cond.field);
  const direct = path.via.length === 0;
  const op = (c as Condition & { operator: string }).operator.toUpperCase();
  const test = conditionTest(source, c, path, op, inner);
  const byKeys = test.keys ? keysAccess(path.field, direct, op, test.keys) : ALL;
  return { test: test.predicate, access: byKeys.kind !== 'all' ? byKeys : stampAccess(path.field, direct, op, test.stampMs) };
}

/** The row test of one condition, with the values (keys) or the datetime (ms) an index can look up. */
function conditionTest(source: QuerySource, c: Condition, path: Path, op: string, inner: InnerQuery): { predicate: Predicate; keys?: unknown[]; stampMs?: unknown } {
  const cond = c as Condition & { value?: string | string[]; literalType?: string | string[]; valueQuery?: Query; dateLiteralVariable?: number };
  const get = (row: Rec) => comparable(path.field, readPath(source, row, path));
  if (cond.valueQuery) {
    const ids = new Set(inner(cond.valueQuery).map((r) => r.Id));
    if (op === 'NOT IN') return { predicate: (row) => !ids.has(String(readPath(source, row, path))) };
    return { predicate: (row) => ids.has(String(readPath(source, row, path))), keys: [...ids] };
  }
  const litType = Array.isArray(cond.literalType) ? cond.literalType[0] : cond.literalType;
  if (op === 'IN' || op === 'NOT IN' || op === 'INCLUDES' || op === 'EXCLUDES') {
    const values = (Array.isArray(cond.value) ? cond.value : [cond.value ?? '']).map((v) => {
      const lit = literalOf(v, litType, path.field, source.nowMs);
      return lit.kind === 'value' ? comparable(path.field, path.field.type === 'datetime' ? new Date(lit.value as number).toISOString() : lit.value) : null;
    });
    // The row's value is read once and looked up in a set: with `Id IN (…200 ids…)` the list was walked,
    // and the row's value read again, for every value. A Set finds by SameValueZero, which is `===` except
    // that it finds NaN (a non-numeric number literal, which `===` never matched): NaN is left out.
    const wanted = new Set(values.filter((v) => !Number.isNaN(v)));
    const hit = (row: Rec) => wanted.has(get(row));
    return op === 'NOT IN' || op === 'EXCLUDES' ? { predicate: (row) => !hit(row) } : { predicate: hit, keys: values };
  }
  const lit = literalOf(String(cond.value ?? ''), litType, path.field, source.nowMs, cond.dateLiteralVariable);
  if (lit.kind === 'range') {
    const inRange = (v: unknown) => typeof v === 'number' || typeof v === 'string' ? Date.parse(String(typeof v === 'number' ? new Date(v).toISOString() : v)) : NaN;
    return { predicate: (row) => {
      const ms = inRange(get(row));
      if (Number.isNaN(ms)) return false;
      switch (op) {
        case '=': return ms >= lit.from && ms < lit.to;
        case '!=': case '<>': return ms < lit.from || ms >= lit.to;
        case '>': return ms >= lit.to;
        case '>=': return ms >= lit.from;
        case '<': return ms < lit.from;
        case '<=': return ms < lit.to;
        default: throw malformedQuery(`Operator ${op} is not valid for dates`);
      }
    } };
  }
  const expected = path.field.type === 'datetime' ? lit.value : comparable(path.field, lit.value);
  if (op === 'LIKE') {
    const re = likeToRegExp(String(lit.value));
    return { predicate: (row) => {
      const v = readPath(source, row, path);
      return v !== null && re.test(String(v));
    } };
  }
  const predicate: Predicate = (row) => {
    const v = get(row);
    if (expected === null) return op === '=' ? v === null : v !== null;
    if (v === null) return op === '!=' || op === '<>';
    const d = compare(v, expected);
    switch (op) {
      case '=': return d === 0;
      case '!=': case '<>': return d !== 0;
      case '<': return d < 0;
      case '<=': return d <= 0;
      case '>': return d > 0;
      case '>=': return d >= 0;
      default: throw malformedQuery(`unexpected token: ${op}`);
    }
  };
  return { predicate, keys: [expected], stampMs: expected };
}

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | Leaf;

function tokenize(source: QuerySource, def: ObjectDef, where: WhereClause | undefined, inner: InnerQuery, out: Token[] = []): Token[] {
  if (!where) return out;
  const left = where.left as (Condition & { openParen?: number; closeParen?: number; field?: string }) | null;
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i += 1) out.push('(');
    if (left.field) out.push(compileCondition(source, def, left, inner));
    for (let i = 0; i < (left.closeParen ?? 0); i += 1) out.push(')');
  }
  const op = (where as { operator?: string }).operator;
  if (op) out.push(op.toUpperCase() as Token);
  tokenize(source, def, (where as { right?: WhereClause }).right, inner, out);
  return out;
}

/** Precedence parser over the token stream: NOT binds tightest, then AND, then OR. */
function buildFilter(tokens: Token[], estimate: Estimate): Leaf {
  let i = 0;
  const primary = (): Leaf => {
    const t = tokens[i++];
    if (t === 'NOT') {
      const inner = primary();
      return { test: (r) => !inner.test(r), access: ALL };
    }
    if (t === '(') {
      const inner = or();
      if (tokens[i++] !== ')') throw malformedQuery('unbalanced parentheses in WHERE');
      return inner;
    }
    if (typeof t === 'object') return t;
    throw malformedQuery(`unexpected token: ${String(t)}`);
  };
  const and = (): Leaf => {
    const parts = [primary()];
    while (tokens[i] === 'AND') {
      i += 1;
      parts.push(primary());
    }
    if (parts.length === 1) return parts[0]!;
    return { test: (r) => parts.every((p) => p.test(r)), access: parts.map((p) => p.access).reduce((a, b) => both(a, b, estimate)) };
  };
  const or = (): Leaf => {
    const parts = [and()];
    while (tokens[i] === 'OR') {
      i += 1;
      parts.push(and());
    }
    if (parts.length === 1) return parts[0]!;
    return { test: (r) => parts.some((p) => p.test(r)), access: parts.map((p) => p.access).reduce(either) };
  };
  const result = or();
  if (i !== tokens.length) throw malformedQuery('unexpected token after WHERE clause');
  return result;
}

/** The row test for a WHERE clause and the rows it can match (every row when no index helps). */
export function whereFilter(source: QuerySource, def: ObjectDef, where: WhereClause, inner: InnerQuery): { test: Predicate; access: Access } {
  return buildFilter(tokenize(source, def, where, inner), (access) => source.estimate?.(def, access) ?? 0);
}
