/**
 * Which rows a `$filter` can match, from the table's indexes (row-index.ts), so that a query on 50,000
 * rows looks at the few it can match: `eq` and `In` on any column, `gt`/`ge`/`lt`/`le` on a date, `and`
 * (the narrower side) and `or` (both sides). A superset: the filter still judges every row returned.
 * Undefined when the filter gives no index to use (`ne`, `not`, `contains`…): the query scans the table.
 */
import type { FilterNode, Operand } from './odata-filter.js';
import type { RangeOp, RowIndex } from './row-index.js';

const FLIPPED: Record<RangeOp, RangeOp> = { gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

export function candidateIds(node: FilterNode, index: RowIndex): string[] | undefined {
  switch (node.kind) {
    case 'in': {
      const found: string[] = [];
      for (const value of node.values) {
        const ids = index.withValue(node.property, value);
        if (!ids) return undefined;
        found.push(...ids);
      }
      return found;
    }
    case 'compare':
      return compareCandidates(node, index);
    case 'and': {
      const left = candidateIds(node.left, index);
      const right = candidateIds(node.right, index);
      if (!left || !right) return left ?? right;
      return left.length <= right.length ? left : right;
    }
    case 'or': {
      const left = candidateIds(node.left, index);
      const right = left && candidateIds(node.right, index);
      return left && right ? [...left, ...right] : undefined;
    }
    default:
      return undefined;
  }
}

function compareCandidates(node: Extract<FilterNode, { kind: 'compare' }>, index: RowIndex): string[] | undefined {
  const sides = propertyAndLiteral(node.left, node.right);
  const flipped = sides ? undefined : propertyAndLiteral(node.right, node.left);
  const pair = sides ?? flipped;
  if (!pair) return undefined;
  if (node.op === 'eq') return index.withValue(pair.property, pair.literal);
  if (node.op === 'ne') return undefined;
  return index.inRange(pair.property, flipped ? FLIPPED[node.op] : node.op, pair.literal);
}

function propertyAndLiteral(a: Operand, b: Operand): { property: string; literal: unknown } | undefined {
  return a.kind === 'property' && b.kind === 'literal' ? { property: a.name, literal: b.value } : undefined;
}
