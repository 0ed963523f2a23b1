/**
 * Which of a sandbox's counter labels are calls the service bills. The sandboxes count every endpoint
 * they serve, including work inside one HTTP request; the services bill the request:
 * - a Salesforce composite request is one call toward the API request limits, however many subrequests
 *   it carries (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm);
 *   the sandbox counts its subrequests under `composite.…` (an sObject Collections request is one call
 *   and one label already);
 * - a Dataverse `$batch` is one request; the sandbox counts its operations under `$batch …`;
 * - token requests (`token`, the OAuth endpoint) are reported on their own, as the targets leave
 *   them aside.
 */
import type { SideCalls } from './protocol.js';

const INSIDE_A_REQUEST = ['composite.', '$batch '];
const TOKEN_LABELS = new Set(['token']);

export function billedCalls(byEndpoint: Record<string, number>): SideCalls {
  let total = 0;
  let tokenCalls = 0;
  let subrequests = 0;
  for (const [label, n] of Object.entries(byEndpoint)) {
    if (INSIDE_A_REQUEST.some((prefix) => label.startsWith(prefix))) subrequests += n;
    else if (TOKEN_LABELS.has(label)) tokenCalls += n;
    else total += n;
  }
  return { total, tokenCalls, subrequests, byEndpoint };
}
