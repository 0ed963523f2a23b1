/**
 * axios' response transform for `responseType: 'json'` (its default `transformResponse`, axios 1.x
 * lib/defaults/index.js, with its default `transitional.silentJSONParsing: true`), without what these clients
 * never meet: a text body is parsed as JSON, and one that does not parse (or is empty) is handed on as the
 * text it is, as axios' default does; anything else passes as it came. The default also looks for a fetch
 * `Response`, a readable stream, a reviver and the `transitional` options on every answer; a Partner Center
 * request paid that once per call (bench/partner-center-request.ts).
 */
export function parseJsonAnswer(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
