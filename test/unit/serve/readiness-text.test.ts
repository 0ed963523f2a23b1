/**
 * `/readyz` answers whoever can reach the service, and a probe's error often comes from a library (an HTTP
 * client's error quoting the request's Authorization header, a remote message with terminal controls).
 * Until 2026-12-06 the CRM and store checks put the error's raw message in their detail.
 */
import assert from 'node:assert/strict';
import type { ServeContext } from '../../../core/serve/context.js';
import { health, readiness } from '../../../core/serve/readiness.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWxsZXIifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const leaky = () => new Error(`connect ECONNRESET; request headers: Authorization: Bearer ${TOKEN} \u001b]0;pwned\u0007\u202edetail`);

function contextWhere(failing: { crm?: boolean; store?: boolean }): ServeContext {
  const runtime = {
    store: {
      schemaVersion: () => {
        if (failing.store) throw leaky();
        return 9;
      },
    },
    crm: { displayName: 'Salesforce', listStages: () => (failing.crm ? Promise.reject(leaky()) : Promise.resolve([])) },
  };
  const service = { last: undefined, queue: { oldestReceivedMs: () => undefined, failures: () => [], size: 0 }, startedAt: new Date(), lastSuccessfulPollAt: new Date() };
  return { runtime, service, settings: { maxLagMinutes: 15, pollIntervalMinutes: 15 } } as unknown as ServeContext;
}

function assertShownSafely(detail: string): void {
  assert.doesNotMatch(detail, new RegExp(TOKEN.slice(0, 20)), detail);
  for (const control of ['\u001b', '\u0007', '\u202e']) assert.ok(!detail.includes(control), JSON.stringify(detail));
  assert.match(detail, /ECONNRESET/, 'the cause is still named');
}

describe('readiness checks tell a probe failure without its secrets or terminal controls', () => {
  it('the CRM check', async () => {
    const crm = (await readiness(contextWhere({ crm: true }))).checks.find((check) => check.name === 'crm')!;
    assert.equal(crm.ok, false);
    assertShownSafely(crm.detail);
  });

  it('the store check (health and readiness)', () => {
    const { store } = health(contextWhere({ store: true }));
    assert.equal(store.ok, false);
    assertShownSafely(store.detail);
  });
});
