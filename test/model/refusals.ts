/**
 * "Nothing was sent that Partner Center had to refuse for a reason the engine could have known" (issue 12):
 * every 4xx the Partner Center sandbox answered to the connector during a round (its refusal log, which
 * leaves out injected faults and throttling) must be of a kind the engine cannot know before it asks.
 * Those kinds, and why each cannot be known in advance:
 *
 * - a GET answered 404: a look-up, not a write (is there a referral with this ID, did a create from a run
 *   that was killed commit?); "not there" is the answer it asks for.
 * - a 401 for an expired access token: the token's expiry is judged by the server's clock, the client's
 *   cache by its own (MSAL). The model moves the sandboxes' clock days ahead of the process clock; in
 *   production clock skew and revocation do the same. The client signs in again silently and repeats.
 */
import assert from 'node:assert/strict';
import type { Refusal, RefusalLog } from '../../sandbox/partner-center/refusal-log.js';

interface Unknowable {
  why: string;
  matches(r: Refusal): boolean;
}

export const UNKNOWABLE_REFUSALS: readonly Unknowable[] = [
  { why: 'a look-up answered "not found"', matches: (r) => r.method === 'GET' && r.status === 404 },
  { why: 'an access token the server judged expired', matches: (r) => r.status === 401 && /expired/i.test(r.message) },
];

/** Fails on any refusal of a knowable kind; empties the log for the next round. */
export function checkRefusals(log: RefusalLog, where: string): void {
  const knowable = log.entries.filter((r) => !UNKNOWABLE_REFUSALS.some((u) => u.matches(r)));
  log.clear();
  assert.deepEqual(knowable.map((r) => `${r.method} ${r.path} → ${r.status} ${r.code} [${r.rules.join(', ')}] ${r.message}`), [], `${where}: Partner Center refused what the connector sent, for reasons it could have known`);
}
