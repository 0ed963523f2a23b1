/**
 * The weak-validation conditional request headers of sObject Rows, which "compare the precondition to the
 * last modified date of the record" (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_conditional_requests.htm),
 * following HTTP 1.1: a GET with `If-Modified-Since` answers 304 Not Modified when the record has not
 * changed since; a PATCH with `If-Unmodified-Since` answers 412 Precondition Failed when it has.
 * UNVERIFIED: the 412's body (the sandbox sends none), and the 400 the page documents for an invalid
 * `If-Unmodified-Since` value (the sandbox ignores a value it cannot read). ETags (Account only) are not modelled.
 */
import type { Rec } from './store.js';

type Verdict = 'proceed' | 'not-modified' | 'precondition-failed';

const lastModified = (rec: Rec): number => Date.parse(String(rec.LastModifiedDate ?? rec.SystemModstamp ?? ''));

/** What a conditional header makes of a request on `rec`. */
export function conditionalVerdict(method: string, headers: Record<string, string | string[] | undefined>, rec: Rec): Verdict {
  const header = (name: string) => {
    const value = headers[name];
    return Date.parse(Array.isArray(value) ? value[0] ?? '' : value ?? '');
  };
  const changed = (since: number) => !Number.isNaN(since) && lastModified(rec) > since;
  if (method === 'GET' && !Number.isNaN(header('if-modified-since')) && !changed(header('if-modified-since'))) return 'not-modified';
  if (method === 'PATCH' && changed(header('if-unmodified-since'))) return 'precondition-failed';
  return 'proceed';
}
