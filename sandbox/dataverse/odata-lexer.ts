/**
 * The tokenizer of the OData `$filter` subset (see odata-filter.ts): quoted strings with doubled
 * quotes, unquoted GUIDs and ISO dates, numbers, keywords and punctuation.
 */
export type Literal = string | number | boolean | null;

export class FilterSyntaxError extends Error {}

export interface Token {
  type: 'word' | 'string' | 'punct' | 'value';
  text: string;
  value?: Literal;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^-?\d+(\.\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_./]*/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let out = '';
      for (;;) {
        if (j >= text.length) throw new FilterSyntaxError(`Unterminated string literal at position ${i}.`);
        if (text[j] === ch) {
          if (text[j + 1] === ch) {
            out += ch;
            j += 2;
            continue;
          }
          break;
        }
        out += text[j];
        j += 1;
      }
      tokens.push({ type: 'string', text: out, value: out });
      i = j + 1;
      continue;
    }
    if ('(),=[]'.includes(ch)) {
      tokens.push({ type: 'punct', text: ch });
      i += 1;
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    if (guid) {
      tokens.push({ type: 'value', text: guid[0], value: guid[0].toLowerCase() });
      i += guid[0].length;
      continue;
    }
    const date = DATETIME.exec(rest);
    if (date && date[0].length >= 10) {
      tokens.push({ type: 'value', text: date[0], value: date[0] });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ type: 'value', text: num[0], value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      const w = word[0];
      if (w === 'true' || w === 'false') tokens.push({ type: 'value', text: w, value: w === 'true' });
      else if (w === 'null') tokens.push({ type: 'value', text: w, value: null });
      else tokens.push({ type: 'word', text: w });
      i += w.length;
      continue;
    }
    throw new FilterSyntaxError(`Syntax error at position ${i} in $filter expression.`);
  }
  return tokens;
}

