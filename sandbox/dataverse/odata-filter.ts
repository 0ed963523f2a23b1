/**
 * A recursive-descent parser and evaluator for the OData `$filter` subset that Dataverse documents
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows):
 * `eq ne gt ge lt le`, `and or not`, parentheses, `contains`/`startswith`/`endswith`, and the Dataverse
 * query function `Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=["a","b"])`.
 *
 * Literals: 'strings' (a quote doubled inside), numbers, true/false/null, unquoted GUIDs and unquoted
 * ISO dates/datetimes. String comparisons are case-insensitive, as in Dataverse.
 */

import { FilterSyntaxError, tokenize, type Literal, type Token } from './odata-lexer.js';

export { FilterSyntaxError, type Literal } from './odata-lexer.js';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; left: Operand; right: Operand }
  | { kind: 'call'; name: 'contains' | 'startswith' | 'endswith'; property: string; value: Literal }
  | { kind: 'in'; property: string; values: Literal[] };

/** `quoted`: written as a string literal ('…'), which OData types as Edm.String whatever it holds. */
export type Operand = { kind: 'property'; name: string } | { kind: 'literal'; value: Literal; quoted: boolean };


class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.parseOr();
    if (this.pos < this.tokens.length) throw new FilterSyntaxError(`Unexpected '${this.tokens[this.pos]!.text}' in $filter expression.`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (!token) throw new FilterSyntaxError('Unexpected end of $filter expression.');
    this.pos += 1;
    return token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.type === 'string') throw new FilterSyntaxError(`Expected '${text}' but found '${token.text}'.`);
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t?.type === 'word' && t.text.toLowerCase() === text;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.pos += 1;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isWord('and')) {
      this.pos += 1;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord('not')) {
      this.pos += 1;
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    if (token?.type === 'punct' && token.text === '(') {
      this.pos += 1;
      const inner = this.parseOr();
      this.expect(')');
      return inner;
    }
    if (token?.type === 'word' && this.tokens[this.pos + 1]?.text === '(') return this.parseCall();
    const left = this.parseOperand();
    const opToken = this.next();
    const op = opToken.text.toLowerCase();
    if (opToken.type !== 'word' || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) {
      throw new FilterSyntaxError(`Expected a comparison operator but found '${opToken.text}'.`);
    }
    return { kind: 'compare', op: op as 'eq', left, right: this.parseOperand() };
  }

  private parseOperand(): Operand {
    const token = this.next();
    if (token.type === 'word') return { kind: 'property', name: token.text };
    if (token.type === 'string' || token.type === 'value') return { kind: 'literal', value: token.value ?? null, quoted: token.type === 'string' };
    throw new FilterSyntaxError(`Unexpected '${token.text}' in $filter expression.`);
  }

  private literal(): Literal {
    const token = this.next();
    if (token.type !== 'string' && token.type !== 'value') throw new FilterSyntaxError(`Expected a literal but found '${token.text}'.`);
    return token.value ?? null;
  }

  private parseCall(): FilterNode {
    const name = this.next().text;
    this.expect('(');
    const lower = name.toLowerCase();
    if (lower === 'contains' || lower === 'startswith' || lower === 'endswith') {
      const property = this.next();
      if (property.type !== 'word') throw new FilterSyntaxError(`${name} expects a property name first.`);
      this.expect(',');
      const value = this.literal();
      this.expect(')');
      return { kind: 'call', name: lower, property: property.text, value };
    }
    if (lower === 'microsoft.dynamics.crm.in') {
      let property: string | undefined;
      let values: Literal[] | undefined;
      for (;;) {
        const param = this.next().text;
        this.expect('=');
        if (param === 'PropertyName') property = String(this.literal());
        else if (param === 'PropertyValues') values = this.parseArray();
        else throw new FilterSyntaxError(`Unknown parameter '${param}' for Microsoft.Dynamics.CRM.In.`);
        if (this.peek()?.text === ',') this.pos += 1;
        else break;
      }
      this.expect(')');
      if (!property || !values) throw new FilterSyntaxError('Microsoft.Dynamics.CRM.In needs PropertyName and PropertyValues.');
      return { kind: 'in', property, values };
    }
    throw new FilterSyntaxError(`Unknown function '${name}' in $filter expression.`);
  }

  private parseArray(): Literal[] {
    this.expect('[');
    const values: Literal[] = [];
    if (this.peek()?.text === ']') {
      this.pos += 1;
      return values;
    }
    for (;;) {
      values.push(this.literal());
      const t = this.next();
      if (t.text === ']') return values;
      if (t.text !== ',') throw new FilterSyntaxError(`Expected ',' or ']' but found '${t.text}'.`);
    }
  }
}

export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parse();
}

/** Every property name a filter mentions, so the caller can refuse unknown columns. */
export function filterProperties(node: FilterNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...filterProperties(node.left), ...filterProperties(node.right)];
    case 'not':
      return filterProperties(node.operand);
    case 'compare':
      return [node.left, node.right].flatMap((o) => (o.kind === 'property' ? [o.name] : []));
    case 'call':
    case 'in':
      return [node.property];
  }
}

const isDateLike = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v);

/** Compares two values the way Dataverse does: strings case-insensitively, dates as instants. */
function compareValues(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (isDateLike(a) && isDateLike(b)) {
    const x = Date.parse(a);
    const y = Date.parse(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x === y ? 0 : x < y ? -1 : 1;
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : undefined;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x === y ? 0 : x < y ? -1 : 1;
}

function operandValue(operand: Operand, row: Record<string, unknown>): unknown {
  return operand.kind === 'property' ? row[operand.name] ?? null : operand.value;
}

/** Lower-cased string values of an In node, built once per parsed filter (a page may hold 5,000 IDs). */
const inSets = new WeakMap<FilterNode, Set<string>>();
function inSet(node: Extract<FilterNode, { kind: 'in' }>): Set<string> {
  let set = inSets.get(node);
  if (!set) {
    set = new Set(node.values.flatMap((v) => (typeof v === 'string' ? [v.toLowerCase()] : [])));
    inSets.set(node, set);
  }
  return set;
}

export function evaluateFilter(node: FilterNode, row: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, row) && evaluateFilter(node.right, row);
    case 'or':
      return evaluateFilter(node.left, row) || evaluateFilter(node.right, row);
    case 'not':
      return !evaluateFilter(node.operand, row);
    case 'call': {
      const value = row[node.property];
      if (typeof value !== 'string' || typeof node.value !== 'string') return false;
      const v = value.toLowerCase();
      const needle = node.value.toLowerCase();
      if (node.name === 'contains') return v.includes(needle);
      if (node.name === 'startswith') return v.startsWith(needle);
      return v.endsWith(needle);
    }
    case 'in': {
      const value = row[node.property];
      if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}/.test(value)) return inSet(node).has(value.toLowerCase());
      return node.values.some((candidate) => compareValues(value, candidate) === 0);
    }
    case 'compare': {
      const a = operandValue(node.left, row);
      const b = operandValue(node.right, row);
      if (node.op === 'eq') return (a === null && b === null) || compareValues(a, b) === 0;
      if (node.op === 'ne') return !((a === null && b === null) || compareValues(a, b) === 0);
      const c = compareValues(a, b);
      if (c === undefined) return false;
      return node.op === 'gt' ? c > 0 : node.op === 'ge' ? c >= 0 : node.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}
