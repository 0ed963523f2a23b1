/**
 * Tokens of the OData `$filter` subset the referrals API documents (partner-center-api.md §1.5): string
 * literals in single quotes ('' escapes a quote), numbers, unquoted ISO dates and date-times, true/false/null,
 * property paths with `/`, parentheses, `,` and `:` (lambda), and the word operators.
 */
export type Token =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'datetime'; value: string; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'punct'; value: '(' | ')' | ',' | ':' | '/'; at: number }
  | { kind: 'end'; at: number };

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(`$filter: ${message} (at character ${at + 1})`);
    this.name = 'FilterSyntaxError';
  }
}

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^-?\d+(\.\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= input.length) throw new FilterSyntaxError('unterminated string literal', i);
        if (input[j] === "'") {
          if (input[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += input[j];
        j += 1;
      }
      tokens.push({ kind: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    if ('(),:/'.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch as '(' | ')' | ',' | ':' | '/', at: i });
      i += 1;
      continue;
    }
    const rest = input.slice(i);
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({ kind: 'datetime', value: datetime[0], at: i });
      i += datetime[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', value: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character ${JSON.stringify(ch)}`, i);
  }
  tokens.push({ kind: 'end', at: input.length });
  return tokens;
}
