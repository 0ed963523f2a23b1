/**
 * A shallow copy of a record built key by key (`record[field.name] = …` over a schema's fields), in V8's
 * fast property layout. V8 moves an object to its slow dictionary layout once more than 12 properties
 * beyond its first few are added by computed keys, so a stored row of some 80 fields built that way is a
 * dictionary: every `{ ...row }` of it (a Salesforce update's draft) then adds its properties one by one,
 * about 3.5 times the cost of copying a fast row (18 against 5 µs for 80 fields, node 20, measured
 * 2026-12-07), and JSON.stringify of it is slower too. A spread copy is fast, and rows with the same keys in
 * the same order share one layout. Same keys, same order, same values.
 */
export function fastLayout<T extends object>(record: T): T {
  return { ...record };
}
