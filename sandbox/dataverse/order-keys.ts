/**
 * How `$orderby` (and the key a next link resumes after) orders rows: null first ascending, numbers by
 * value, anything else by its lower-cased text (a number against text compares as its text). A row's sort
 * key is made once, with its text already lower-cased, so that sorting a page of 50,000 rows does not
 * lower-case both sides of every comparison (four lower-cased copies a comparison). Pure.
 */

/** One column's value as it is compared: null, a number, or lower-cased text. */
export type OrderValue = null | number | string;

/** A value as {@link compareOrderKeys} compares it. */
export function orderValue(value: unknown): OrderValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  return String(value).toLowerCase();
}

/** The sort key of a row's values (each value as {@link orderValue}). */
export const orderKey = (values: readonly unknown[]): OrderValue[] => values.map(orderValue);

const asText = (v: number | string): string => (typeof v === 'number' ? String(v).toLowerCase() : v);

/** Compares two sort keys column by column, `desc[i]` reversing column i; 0 when every column compares equal. */
export function compareOrderKeys(a: readonly OrderValue[], b: readonly OrderValue[], desc: readonly boolean[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null || x === undefined) return desc[i] ? 1 : -1;
    if (y === null || y === undefined) return desc[i] ? -1 : 1;
    let c: number;
    if (typeof x === 'number' && typeof y === 'number') c = x - y;
    else {
      const s = asText(x);
      const t = asText(y);
      c = s < t ? -1 : s > t ? 1 : 0;
    }
    if (c !== 0) return desc[i] ? -c : c;
  }
  return 0;
}
