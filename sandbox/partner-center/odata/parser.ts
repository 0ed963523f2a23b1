/**
 * A recursive-descent parser for the `$filter` subset of partner-center-api.md §1.5:
 *
 *   expr     := and ('or' and)*
 *   and      := unary ('and' unary)*
 *   unary    := 'not' unary | '(' expr ')' | boolcall | lambda | operand cmp operand
 *   lambda   := path '/' ('any' | 'all') '(' [ var ':' expr ] ')'
 *   boolcall := ('contains' | 'startswith' | 'endswith') '(' operand ',' operand ')'
 *   operand  := literal | path | ('tolower' | 'toupper') '(' operand ')'
 *   path     := name ('/' name)*
 *
 * Anything else (unknown properties, functions, arithmetic) is refused with a FilterSyntaxError, which
 * the sandbox answers 400 invalidRequest, rather than being silently ignored.
 */
import { FilterSyntaxError, tokenize, type Token } from './tokenizer.js';

export type Literal = string | number | boolean | null;
export type Operand =
  | { type: 'literal'; value: Literal; datetime: boolean }
  | { type: 'path'; segments: string[] }
  | { type: 'case'; fn: 'tolower' | 'toupper'; operand: Operand };
export type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterNode =
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; operand: FilterNode }
  | { type: 'compare'; op: Comparison; left: Operand; right: Operand }
  | { type: 'text'; fn: 'contains' | 'startswith' | 'endswith'; left: Operand; right: Operand }
  | { type: 'lambda'; quantifier: 'any' | 'all'; path: string[]; variable?: string; predicate?: FilterNode };

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const TEXT_FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);

class Parser {
  private index = 0;
  private readonly variables: string[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly properties: ReadonlySet<string>,
  ) {}

  parse(): FilterNode {
    const node = this.or();
    const next = this.peek();
    if (next.kind !== 'end') throw new FilterSyntaxError(`unexpected ${describe(next)}`, next.at);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private take(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  private isWord(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.value.toLowerCase() === value;
  }

  private isPunct(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.value === value;
  }

  private expectPunct(value: string): void {
    const t = this.take();
    if (t.kind !== 'punct' || t.value !== value) throw new FilterSyntaxError(`expected "${value}" but found ${describe(t)}`, t.at);
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.isWord('or')) {
      this.take();
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.isWord('and')) {
      this.take();
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.isWord('not')) {
      this.take();
      return { type: 'not', operand: this.unary() };
    }
    if (this.isPunct('(')) {
      this.take();
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    const t = this.peek();
    if (t.kind === 'word' && TEXT_FUNCTIONS.has(t.value.toLowerCase()) && this.isPunct('(', 1)) {
      this.take();
      this.expectPunct('(');
      const left = this.operand();
      this.expectPunct(',');
      const right = this.operand();
      this.expectPunct(')');
      return { type: 'text', fn: t.value.toLowerCase() as 'contains', left, right };
    }
    const left = this.operand();
    if (left.type === 'path' && this.isPunct('/')) return this.lambda(left.segments);
    const op = this.take();
    if (op.kind !== 'word' || !COMPARISONS.has(op.value.toLowerCase())) {
      throw new FilterSyntaxError(`expected a comparison (eq, ne, gt, ge, lt, le) but found ${describe(op)}`, op.at);
    }
    return { type: 'compare', op: op.value.toLowerCase() as Comparison, left, right: this.operand() };
  }

  private lambda(path: string[]): FilterNode {
    this.expectPunct('/');
    const q = this.take();
    if (q.kind !== 'word' || (q.value !== 'any' && q.value !== 'all')) throw new FilterSyntaxError(`expected any or all but found ${describe(q)}`, q.at);
    this.expectPunct('(');
    if (this.isPunct(')')) {
      this.take();
      return { type: 'lambda', quantifier: q.value, path };
    }
    const variable = this.take();
    if (variable.kind !== 'word') throw new FilterSyntaxError(`expected a lambda variable but found ${describe(variable)}`, variable.at);
    this.expectPunct(':');
    this.variables.push(variable.value);
    const predicate = this.or();
    this.variables.pop();
    this.expectPunct(')');
    return { type: 'lambda', quantifier: q.value, path, variable: variable.value, predicate };
  }

  private operand(): Operand {
    const t = this.take();
    switch (t.kind) {
      case 'string':
        return { type: 'literal', value: t.value, datetime: false };
      case 'number':
        return { type: 'literal', value: t.value, datetime: false };
      case 'datetime':
        return { type: 'literal', value: t.value, datetime: true };
      case 'word': {
        const lower = t.value.toLowerCase();
        if (lower === 'true' || lower === 'false') return { type: 'literal', value: lower === 'true', datetime: false };
        if (lower === 'null') return { type: 'literal', value: null, datetime: false };
        if ((lower === 'tolower' || lower === 'toupper') && this.isPunct('(')) {
          this.take();
          const operand = this.operand();
          this.expectPunct(')');
          return { type: 'case', fn: lower, operand };
        }
        return this.path(t);
      }
      default:
        throw new FilterSyntaxError(`expected a value or a property but found ${describe(t)}`, t.at);
    }
  }

  private path(first: Token & { kind: 'word' }): Operand {
    if (!this.variables.includes(first.value) && !this.properties.has(first.value)) {
      throw new FilterSyntaxError(`unknown property "${first.value}"`, first.at);
    }
    const segments = [first.value];
    // `a/b/c`, but stop before `/any(` and `/all(` so the caller can read the lambda.
    while (this.isPunct('/') && this.peek(1).kind === 'word' && !((this.isWord('any', 1) || this.isWord('all', 1)) && this.isPunct('(', 2))) {
      this.take();
      segments.push((this.take() as { value: string }).value);
    }
    return { type: 'path', segments };
  }
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the filter' : `"${String((t as { value: unknown }).value)}"`;
}

/** Parses `$filter`; `properties` are the top-level names a path may start with. */
export function parseFilter(text: string, properties: ReadonlySet<string>): FilterNode {
  return new Parser(tokenize(text), properties).parse();
}
