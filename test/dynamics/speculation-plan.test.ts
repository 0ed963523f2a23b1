/**
 * The guess's bounds and its version rule (connectors/dynamics/speculative-read.ts, pure), and the sandbox's
 * answers to its query shape: `modifiedby` names the caller who saved a row, `_modifiedby_value ne <guid>`
 * filters on it, and a query with more than 15 `$expand` options is refused (webapi/query/join-tables).
 */
import assert from 'node:assert/strict';
import { ASKED_MAX, SPECULATION_MAX_AGE_MS, Speculated, speculationPlan, usableRows } from '../../connectors/dynamics/speculative-read.js';
import { effectiveFieldTable } from '../../mappings/fields.dynamics.js';
import { connectorNames } from '../../connectors/dynamics/schema-names.js';
import { dispatch } from '../../sandbox/dataverse/api.js';
import { DataverseStore } from '../../sandbox/dataverse/store.js';
import { APPLICATION_USER_ID, SELLER_USER_ID } from '../../sandbox/dataverse/seed.js';
import { SandboxClock } from '../../sandbox/common/clock.js';

const names = connectorNames('cosell_');
const fields = effectiveFieldTable('cosell_');
const NOW = Date.parse('2026-12-06T12:00:00Z');
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const cursor = (over: Record<string, unknown> = {}) => ({ mode: 'delta', link: 'opportunities?$deltatoken=1', issuedAt: new Date(NOW - 60_000).toISOString(), watermark: new Date(NOW - 6 * 60_000).toISOString(), appUserId: APPLICATION_USER_ID, ...over }) as never;

describe('Dynamics guess: when it is made (pure)', () => {
  it('is made from a recent delta cursor with a watermark and the application user, reading the asked records in chunks of 250', () => {
    const plan = speculationPlan(cursor(), NOW, Array.from({ length: 300 }, (_, i) => guid(i)), fields, names);
    assert.ok(plan);
    assert.equal(plan.requests.length, 3, 'the changed rows, then two IN-filtered reads');
    // From the last listing less a margin (not the watermark, five minutes back), newest first.
    assert.match(decodeURIComponent(plan.requests[0]!.url), /\$filter=modifiedon ge 2026-12-06T11:58:30Z and _modifiedby_value ne a99c05e1/);
    assert.match(decodeURIComponent(plan.requests[0]!.url), /\$orderby=modifiedon desc/);
    assert.match(plan.requests[0]!.url, /\$expand=/);
    assert.equal(plan.asked.length, 300);
  });

  it('is not made on a first run, a watermark fallback, without a watermark or user, after a long pause, or for many records', () => {
    assert.equal(speculationPlan(undefined, NOW, [], fields, names), undefined);
    assert.equal(speculationPlan(cursor({ mode: 'watermark' }), NOW, [], fields, names), undefined);
    assert.equal(speculationPlan(cursor({ watermark: null }), NOW, [], fields, names), undefined);
    assert.equal(speculationPlan(cursor({ appUserId: undefined }), NOW, [], fields, names), undefined);
    assert.equal(speculationPlan(cursor({ issuedAt: new Date(NOW - SPECULATION_MAX_AGE_MS - 1).toISOString() }), NOW, [], fields, names), undefined);
    assert.equal(speculationPlan(cursor(), NOW, Array.from({ length: ASKED_MAX + 1 }, (_, i) => guid(i)), fields, names), undefined);
  });
});

describe('Dynamics guess: which rows are used (pure)', () => {
  const row = (n: number, version: number) => ({ opportunityid: guid(n), '@odata.etag': `W/"${version}"` });
  const plan = { requests: [{ url: 'a', prefer: [] }, { url: 'b', prefer: [] }], asked: [guid(3), guid(4), guid(5), guid(6)] };
  const speculated = Speculated.of(plan, [
    { ok: true, body: { value: [row(1, 10), row(2, 20)] } },
    { ok: true, body: { value: [row(3, 30), row(4, 40), row(5, 50)] } },
  ])!;

  it('uses a listed row at the listed version only, and an asked record the listing does not name or names at the version read', () => {
    const listed = new Map<string, unknown>([[guid(1), 'W/"10"'], [guid(2), 'W/"21"'], [guid(4), 'W/"40"'], [guid(5), 'W/"51"'], [guid(6), undefined]]);
    const usable = usableRows(speculated, [guid(1), guid(2)], listed);
    assert.deepEqual(usable.rows.map((r) => r.opportunityid).sort(), [guid(1), guid(3), guid(4)]);
    // 5: listed at another version (saved between the reads); 6: listed as deleted.
    assert.deepEqual(usable.asked, [guid(3), guid(4)]);
  });

  it('is dropped whole when one of its reads was refused', () => {
    assert.equal(Speculated.of(plan, [{ ok: true, body: { value: [] } }, { ok: false, error: new Error('x') as never }]), undefined);
  });
});

describe('Dataverse sandbox: modifiedby and the guess\'s filter', () => {
  const store = new DataverseStore(new SandboxClock());
  const request = (callerId: string, method: string, path: string, query = '', body?: unknown) =>
    dispatch(store, { method, path, query: new URLSearchParams(query), headers: {}, body: body === undefined ? '' : JSON.stringify(body), serviceRoot: 'http://x/api/data/v9.2/', callerId });

  it('names the caller who saved a row, and filters on it', () => {
    store.insert('systemuser', { firstname: 'App' }, APPLICATION_USER_ID);
    for (const [id, who] of [[guid(1), SELLER_USER_ID], [guid(2), APPLICATION_USER_ID]] as const) {
      assert.equal(request(who, 'POST', 'opportunities', '', { opportunityid: id, name: id }).status, 204);
    }
    const answer = request(APPLICATION_USER_ID, 'GET', 'opportunities', `$select=name,_modifiedby_value&$filter=_modifiedby_value ne ${APPLICATION_USER_ID}`);
    const rows = (answer.body as { value: Record<string, unknown>[] }).value;
    assert.deepEqual(rows.map((r) => [r.name, r._modifiedby_value]), [[guid(1), SELLER_USER_ID]]);
    assert.equal(request(SELLER_USER_ID, 'PATCH', `opportunities(${guid(2)})`, '', { name: 'by the seller' }).status, 204);
    assert.equal((request(APPLICATION_USER_ID, 'GET', 'opportunities', `$filter=_modifiedby_value ne ${APPLICATION_USER_ID}`).body as { value: unknown[] }).value.length, 2);
  });

  it('records the seller as the saver of an edit made outside a request, never the previous saver', () => {
    assert.equal(request(APPLICATION_USER_ID, 'PATCH', `opportunities(${guid(1)})`, '', { name: 'by the connector' }).status, 204);
    assert.equal(store.table('opportunity')!.rows.get(guid(1))!._modifiedby_value, APPLICATION_USER_ID);
    store.update('opportunity', guid(1), { name: 'a direct edit' });
    assert.equal(store.table('opportunity')!.rows.get(guid(1))!._modifiedby_value, SELLER_USER_ID);
  });

  it('refuses more than 15 $expand options', () => {
    const expand = Array.from({ length: 16 }, () => 'parentaccountid($select=name)').join(',');
    assert.equal(request(APPLICATION_USER_ID, 'GET', 'opportunities', `$expand=${expand}`).status, 400);
    assert.equal(request(APPLICATION_USER_ID, 'GET', 'opportunities', `$expand=${Array.from({ length: 15 }, () => 'parentaccountid($select=name)').join(',')}`).status, 200);
    // Counted over the whole query: 8 options, each with one nested, are 16.
    const nested = Array.from({ length: 8 }, () => 'parentaccountid($select=name;$expand=primarycontactid($select=fullname))').join(',');
    assert.equal(request(APPLICATION_USER_ID, 'GET', 'opportunities', `$expand=${nested}`).status, 400);
  });
});
