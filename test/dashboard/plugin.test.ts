/**
 * The dashboard plugin on its own fastify instance (inject, no browser): read-only without a session,
 * actions refused without one, markup from the data always escaped, the JSON view, the pipeline's
 * arithmetic, and a signed-in user who is not an admin gets no session.
 */
import assert from 'node:assert/strict';
import { operatorConsent } from '../../config/endpoint-consent.js';
import { judgeEndpoints } from '../../config/endpoint-policy.js';
import { peopleEndpoints } from '../../config/people-endpoints.js';
import { notificationsSchema } from '../../core/notify/config.js';
import { dashboardSchema } from '../../core/dashboard/config.js';
import { pipelineOf } from '../../core/dashboard/pipeline.js';
import { isAdmin } from '../../core/dashboard/sign-in.js';
import { emptyReferral } from '../../core/model/referral.js';
import { openMemoryStore } from '../../core/store/index.js';
import { dashboardOn } from './dashboard-on.js';

const NOW = new Date('2026-03-10T12:00:00Z');

describe('dashboard plugin', () => {
  it('reads without a session and shows no action to an anonymous reader', async () => {
    const store = openMemoryStore();
    store.park({ side: 'crm', recordId: '006X', name: '<script>alert(1)</script>', reasons: [{ field: 'solutions', code: 'create.solution.required', message: 'Add a solution & save', severity: 'error' } as never], fingerprint: 'f', parkedAt: NOW.toISOString(), attempts: 1 });
    const app = await dashboardOn(store, { now: () => NOW });
    const page = await app.inject({ method: 'GET', url: '/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
    assert.ok(!page.body.includes('<script>alert(1)</script>'), 'a deal name is escaped');
    assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(page.body.includes('Add a solution &amp; save'));
    assert.ok(!page.body.includes('Retry now</button>') && !page.body.includes('name="csrf"'), 'no action without a session');
    assert.match(page.body, /Actions need sign-in, which is not configured/);
    assert.ok(!page.body.includes('<form class="tenant-picker"'), 'a single install has no tenant picker');
    const json = (await app.inject({ method: 'GET', url: '/api/status' })).json() as { parked: { recordId: string; rule: string }[] };
    assert.deepEqual(json.parked.map((p) => [p.recordId, p.rule]), [['006X', 'create.solution.required']]);
    await app.close();
  });

  it('refuses actions without a session (401) and leaves the state alone', async () => {
    const store = openMemoryStore();
    store.park({ side: 'crm', recordId: '006Y', reasons: [], fingerprint: 'f', parkedAt: NOW.toISOString(), attempts: 1 });
    const app = await dashboardOn(store, { now: () => NOW });
    const retry = await app.inject({ method: 'POST', url: '/parked/crm/006Y/retry', payload: 'csrf=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(retry.statusCode, 401);
    // The refusal's link leads to the dashboard's sign-in, not to one under the action's path.
    assert.match(retry.body, /href="\/auth\/sign-in"/);
    assert.equal(store.getParked('crm', '006Y')?.retryAt, undefined);
    const resolve = await app.inject({ method: 'POST', url: '/conflicts/1/resolve', payload: 'take=crm', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'cosell_session=forged' } });
    assert.equal(resolve.statusCode, 401);
    await app.close();
  });

  it('admins are the listed users (any case) or members of the admin group', () => {
    const signIn = dashboardSchema.parse({ signIn: { authority: 'https://login.microsoftonline.com/t', clientId: 'c', clientSecret: 'env:S', redirectUri: 'http://localhost/auth/callback', adminUsers: ['Avery@Contoso.example'], adminGroup: 'g-1' } }).signIn!;
    assert.equal(isAdmin(signIn, 'avery@contoso.example', []), true);
    assert.equal(isAdmin(signIn, 'sam@contoso.example', ['g-1']), true);
    assert.equal(isAdmin(signIn, 'sam@contoso.example', ['g-2']), false);
  });

  it('weighs the pipeline by the standard stage percentages and leaves lost deals out', () => {
    const deal = (over: Parameters<typeof emptyReferral>[0]) => emptyReferral({ value: 100_000, currency: 'USD', ...over });
    const pipeline = pipelineOf([
      deal({ salesStage: 'Qualified', direction: 'outbound' }),
      deal({ salesStage: 'Negotiated', direction: 'inbound' }),
      deal({ status: 'Closed', substatus: 'Won', direction: 'outbound' }),
      deal({ status: 'Closed', substatus: 'Lost' }),
      deal({ status: 'New', substatus: 'Received', direction: 'inbound', salesStage: undefined }),
    ]);
    const row = (stage: string) => pipeline.stages.find((s) => s.stage === stage)!;
    assert.deepEqual([row('Qualified').weighted, row('Negotiated').weighted, row('Won').weighted, row('Accepted').weighted], [20_000, 80_000, 100_000, 10_000]);
    assert.equal(pipeline.totalCount, 4);
    assert.equal(pipeline.weightedValue, 210_000);
    assert.equal(row('Negotiated').inbound, 1);
    assert.equal(pipeline.currency, 'USD');
  });
});

describe('endpoints of the dashboard sign-in and notifications', () => {
  it('are judged by the outbound-endpoint policy: Graph and the Entra authority are well known, another host is refused', () => {
    const notifications = notificationsSchema.parse({ graph: { authority: 'https://login.microsoftonline.com/t', clientId: 'c', clientSecret: 'env:S' }, from: 'n@contoso.example' });
    const dashboard = dashboardSchema.parse({ signIn: { authority: 'https://login.microsoftonline.com/t', clientId: 'c', clientSecret: 'env:S', redirectUri: 'http://localhost:8080/auth/callback' } });
    const verdicts = judgeEndpoints(peopleEndpoints({ dashboard, notifications }), { consent: operatorConsent({}) });
    assert.deepEqual(verdicts.map((v) => [v.key, v.verdict]), [
      ['dashboard > signIn > authority', 'well-known'],
      ['notifications > graph > baseUrl', 'well-known'],
      ['notifications > graph > authority', 'well-known'],
    ]);
    const elsewhere = judgeEndpoints(peopleEndpoints({ notifications: { ...notifications, graph: { ...notifications.graph, baseUrl: 'https://graph.evil.example' } } }), { consent: operatorConsent({}) });
    assert.equal(elsewhere[0]?.verdict, 'refused');
  });
});
