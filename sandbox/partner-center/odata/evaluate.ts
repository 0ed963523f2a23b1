/**
 * Evaluates a parsed `$filter` against one referral's JSON. String equality ignores case (enum values
 * and e-mail addresses are compared as Partner Center's own samples mix casings, §1.7 Consent); values
 * compare as instants when either side is a date-time literal or a `…DateTime` property.
 */
import type { FilterNode, Literal, Operand } from './parser.js';

type Scope = Record<string, unknown>;

function resolvePath(segments: string[], root: unknown, scope: Scope): unknown {
  const [head, ...rest] = segments;
  let value: unknown = head !== undefined && head in scope ? scope[head] : (root as Record<string, unknown> | undefined)?.[head ?? ''];
  for (const segment of rest) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

const isDateProperty = (operand: Operand): boolean =>
  operand.type === 'path' && /DateTime$/.test(operand.segments[operand.segments.length - 1] ?? '');

function value(operand: Operand, root: unknown, scope: Scope): unknown {
  switch (operand.type) {
    case 'literal':
      return operand.value;
    case 'path':
      return resolvePath(operand.segments, root, scope);
    case 'case': {
      const inner = value(operand.operand, root, scope);
      if (typeof inner !== 'string') return inner;
      return operand.fn === 'tolower' ? inner.toLowerCase() : inner.toUpperCase();
    }
  }
}

function compareValues(a: unknown, b: unknown, asDates: boolean): number | undefined {
  if (asDates) {
    const x = typeof a === 'string' ? Date.parse(a) : NaN;
    const y = typeof b === 'string' ? Date.parse(b) : NaN;
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'number') return Number(a) - b;
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : undefined;
  return undefined;
}

function isNull(v: unknown): boolean {
  return v === null || v === undefined;
}

export function evaluate(node: FilterNode, root: unknown, scope: Scope = {}): boolean {
  switch (node.type) {
    case 'and':
      return evaluate(node.left, root, scope) && evaluate(node.right, root, scope);
    case 'or':
      return evaluate(node.left, root, scope) || evaluate(node.right, root, scope);
    case 'not':
      return !evaluate(node.operand, root, scope);
    case 'lambda': {
      const items = resolvePath(node.path, root, scope);
      const list = Array.isArray(items) ? items : [];
      if (!node.predicate || !node.variable) return node.quantifier === 'any' ? list.length > 0 : true;
      const test = (item: unknown) => evaluate(node.predicate as FilterNode, root, { ...scope, [node.variable as string]: item });
      return node.quantifier === 'any' ? list.some(test) : list.every(test);
    }
    case 'text': {
      const a = value(node.left, root, scope);
      const b = value(node.right, root, scope);
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      const [x, y] = [a.toLowerCase(), b.toLowerCase()];
      return node.fn === 'contains' ? x.includes(y) : node.fn === 'startswith' ? x.startsWith(y) : x.endsWith(y);
    }
    case 'compare': {
      const a = value(node.left, root, scope);
      const b = value(node.right, root, scope);
      if (isNull(a) || isNull(b)) {
        const both = isNull(a) && isNull(b);
        return node.op === 'eq' ? both : node.op === 'ne' ? !both : false;
      }
      const asDates =
        isDateProperty(node.left) ||
        isDateProperty(node.right) ||
        (node.left.type === 'literal' && node.left.datetime) ||
        (node.right.type === 'literal' && node.right.datetime);
      const c = compareValues(a, b, asDates);
      if (c === undefined) return node.op === 'ne';
      switch (node.op) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'gt':
          return c > 0;
        case 'ge':
          return c >= 0;
        case 'lt':
          return c < 0;
        case 'le':
          return c <= 0;
      }
    }
  }
}

export type { Literal };
