/**
 * Operand types of `$filter` comparisons. Dates, numbers and GUIDs are written unquoted
 * (`modifiedon ge 2023-04-01T00:00:00Z`, https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows);
 * a quoted literal is an Edm.String, and comparing a DateTime or number column with it is refused by the
 * OData parser rather than compared as text (which matched nothing, or everything, in the sandbox before).
 * The message is OData's (Microsoft.OData.Core); UNVERIFIED: the error code Dataverse gives it (the sandbox
 * uses its $filter code), and quoted GUIDs, which are left alone.
 */
import { CODES, DataverseError } from './api-types.js';
import type { FilterNode } from './odata-filter.js';
import type { ColumnType, TableDef } from './schema.js';

const EDM_TYPES: Partial<Record<ColumnType, string>> = {
  DateTime: 'Edm.DateTimeOffset', Money: 'Edm.Decimal', Decimal: 'Edm.Decimal', Double: 'Edm.Double', Integer: 'Edm.Int32', BigInt: 'Edm.Int64',
};

const OPERATOR_KINDS = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' } as const;

/** Throws OData's "incompatible types" error for a quoted literal compared with a DateTime or number column. */
export function checkOperandTypes(node: FilterNode, def: TableDef, columnOf: (wireName: string) => string | undefined): void {
  switch (node.kind) {
    case 'and': case 'or':
      checkOperandTypes(node.left, def, columnOf);
      checkOperandTypes(node.right, def, columnOf);
      return;
    case 'not':
      checkOperandTypes(node.operand, def, columnOf);
      return;
    case 'compare': {
      const [property, literal] = node.left.kind === 'property' ? [node.left, node.right] : [node.right, node.left];
      if (property.kind !== 'property' || literal.kind !== 'literal' || !literal.quoted) return;
      const column = columnOf(property.name);
      const edm = column ? EDM_TYPES[def.columns.get(column)?.type as ColumnType] : undefined;
      if (!edm) return;
      const [leftType, rightType] = node.left.kind === 'property' ? [edm, 'Edm.String'] : ['Edm.String', edm];
      throw new DataverseError(400, CODES.queryOption, `A binary operator with incompatible types was detected. Found operand types '${leftType}' and '${rightType}' for operator kind '${OPERATOR_KINDS[node.op]}'.`);
    }
    default:
      return;
  }
}
