/**
 * The Dataverse sandbox's change tracking against Microsoft's pages: requests copied from
 * use-change-tracking-synchronize-data-external-systems and page-results get the documented answers
 * (headers, link shapes, `$deletedEntity` rows), and a listing paged while rows change follows each
 * reading of the documents the sandbox offers (change-tracking.ts): a row changed after the first page is
 * listed again on a later page (dynamic pages) and/or by the next delta (first-page token), never by
 * neither.
 */
import assert from 'node:assert/strict';
import { startDataverseSandbox, type ChangeTrackingReading } from '../../sandbox/dataverse/index.js';
import { TokenSigner } from '../../sandbox/entra/index.js';
import { applicationToken } from '../helpers/dataverse-token.js';

const signer = new TokenSigner('test-key');
// Answers are free-form OData JSON that each test inspects by path.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

async function start(changeTracking?: Partial<ChangeTrackingReading>) {
  const dv = await startDataverseSandbox({ signer, seed: 'empty', ...(changeTracking ? { changeTracking } : {}) });
  const api = `${dv.url}/api/data/v9.2/`;
  const headers = { Authorization: `Bearer ${applicationToken(signer, dv.environmentUrl)}`, 'OData-Version': '4.0', 'Content-Type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(path.startsWith('http') ? path : `${api}${path}`, { method, headers: { ...headers, ...extra }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Json };
  };
  const createAccount = async (name: string): Promise<string> => {
    const res = await fetch(`${api}accounts`, { method: 'POST', headers, body: JSON.stringify({ name }) });
    return /\(([0-9a-f-]{36})\)/.exec(res.headers.get('odata-entityid') ?? '')![1]!;
  };
  return { dv, api, call, createAccount };
}

/** Follows a listing's next links; `between` runs after each page but the last. */
async function listAll(call: Awaited<ReturnType<typeof start>>['call'], first: string, prefer: string, between: (page: number) => Promise<void> = async () => undefined) {
  const pages: Json[] = [];
  let url: string | undefined = first;
  while (url) {
    const page = await call('GET', url, undefined, { Prefer: prefer });
    pages.push(page.json);
    url = page.json['@odata.nextLink'];
    if (url) await between(pages.length);
  }
  return { pages, names: pages.flatMap((p) => (p.value as Json[]).map((r) => r.name as string)), deltaLink: pages.at(-1)!['@odata.deltaLink'] as string };
}

describe('Dataverse sandbox: change tracking as documented', function () {
  this.timeout(20_000);
  let env: Awaited<ReturnType<typeof start>>;
  afterEach(async () => env?.dv.close());

  it('answers the documented walk-through: Preference-Applied on the initial request only, the delta link in the documented encoding, a new row then a $deletedEntity row', async () => {
    env = await start();
    await env.createAccount('Monte Orton');
    const doomed = await env.createAccount('Deleted later');
    // Request as on the page: Prefer: odata.track-changes, OData-Version: 4.0, Content-Type: application/json.
    const initial = await env.call('GET', 'accounts?$select=name,accountnumber,telephone1,fax', undefined, { Prefer: 'odata.track-changes' });
    assert.equal(initial.status, 200);
    assert.equal(initial.headers.get('preference-applied'), 'odata.track-changes');
    assert.equal(initial.headers.get('odata-version'), '4.0');
    assert.equal(initial.json['@odata.context'], `${env.api}$metadata#accounts(name,accountnumber,telephone1,fax)`);
    assert.equal(initial.json['@odata.nextLink'], undefined);
    // "$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44": version, %21, then the UTC time, escapes in lower case.
    const delta = initial.json['@odata.deltaLink'] as string;
    assert.match(delta, new RegExp(`^${env.api.replace(/[.$?]/g, '\\$&')}accounts\\?\\$select=name,accountnumber,telephone1,fax&\\$deltatoken=\\d+%21\\d{2}%2f\\d{2}%2f\\d{4}%20\\d{2}%3a\\d{2}%3a\\d{2}$`));
    assert.deepEqual(initial.json.value.map((r: Json) => r.name).sort(), ['Deleted later', 'Monte Orton']);

    await env.createAccount('Created after the initial sync');
    assert.equal((await env.call('DELETE', `accounts(${doomed})`)).status, 204);
    // The documented delta request carries no Prefer header, and its documented answer no Preference-Applied.
    const changes = await env.call('GET', delta);
    assert.equal(changes.status, 200);
    assert.equal(changes.headers.get('preference-applied'), null);
    assert.equal(changes.json['@odata.context'], `${env.api}$metadata#accounts(name,accountnumber,telephone1,fax)/$delta`);
    assert.equal(changes.json.value.length, 2);
    assert.equal(changes.json.value[0].name, 'Created after the initial sync');
    assert.match(changes.json.value[0]['@odata.etag'], /^W\/"\d+"$/);
    assert.deepEqual(changes.json.value[1], { '@odata.context': `${env.api}$metadata#accounts/$deletedEntity`, id: doomed, reason: 'deleted' });
    assert.match(changes.json['@odata.deltaLink'], /\$deltatoken=\d+%21/);
    // Asked again with the header, a delta request says the preference was applied.
    assert.equal((await env.call('GET', delta, undefined, { Prefer: 'odata.track-changes' })).headers.get('preference-applied'), 'odata.track-changes');
  });

  it('pages an initial listing with odata.maxpagesize: a next link in the documented cookie shape, the delta link on the last page only', async () => {
    env = await start();
    for (let i = 0; i < 5; i += 1) await env.createAccount(`Account ${i}`);
    const prefer = 'odata.track-changes,odata.maxpagesize=2';
    const first = await env.call('GET', 'accounts?$select=name', undefined, { Prefer: prefer });
    assert.equal(first.headers.get('preference-applied'), 'odata.track-changes,odata.maxpagesize=2');
    assert.equal(first.json.value.length, 2);
    assert.equal(first.json['@odata.deltaLink'], undefined);
    assert.match(first.json['@odata.nextLink'], /\$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22[^%]+%22%20istracking=%22True%22%20\/%3E$/);
    // OData: the track-changes preference on a next link is ignored; the page size still applies.
    const second = await env.call('GET', first.json['@odata.nextLink'], undefined, { Prefer: prefer });
    assert.equal(second.headers.get('preference-applied'), 'odata.maxpagesize=2');
    const all = await listAll(env.call, 'accounts?$select=name', prefer);
    assert.deepEqual(all.pages.map((p) => [p.value.length, '@odata.nextLink' in p, '@odata.deltaLink' in p]), [[2, true, false], [2, true, false], [1, false, true]]);
    assert.deepEqual(all.names, ['Account 0', 'Account 1', 'Account 2', 'Account 3', 'Account 4']);
  });

  const readings: { reading: ChangeTrackingReading; laterPage: boolean; nextDelta: boolean }[] = [
    { reading: { pages: 'dynamic', token: 'first-page' }, laterPage: true, nextDelta: true },
    { reading: { pages: 'dynamic', token: 'last-page' }, laterPage: true, nextDelta: false },
    { reading: { pages: 'snapshot', token: 'first-page' }, laterPage: false, nextDelta: true },
  ];
  for (const { reading, laterPage, nextDelta } of readings) {
    it(`lists a row changed while the initial listing is paged ${[laterPage && 'on a later page', nextDelta && 'by the next delta'].filter(Boolean).join(' and ')} (pages ${reading.pages}, token ${reading.token})`, async () => {
      env = await start(reading);
      const ids: string[] = [];
      for (let i = 0; i < 6; i += 1) ids.push(await env.createAccount(`Account ${i}`));
      const all = await listAll(env.call, 'accounts?$select=name', 'odata.track-changes,odata.maxpagesize=2', async (page) => {
        if (page === 1) assert.equal((await env.call('PATCH', `accounts(${ids[0]})`, { name: 'Edited while paging' }, { 'If-Match': '*' })).status, 204);
      });
      assert.equal(all.names.filter((n) => n.startsWith('Account')).length, 6, 'every row once at the version the listing met it');
      assert.equal(all.names.includes('Edited while paging'), laterPage);
      const next = await env.call('GET', all.deltaLink);
      assert.deepEqual(next.json.value.map((r: Json) => r.name), nextDelta ? ['Edited while paging'] : []);
      // A change after the listing's end is in the next delta whatever the reading.
      await env.call('PATCH', `accounts(${ids[5]})`, { name: 'Edited after the listing' }, { 'If-Match': '*' });
      assert.ok((await env.call('GET', all.deltaLink)).json.value.some((r: Json) => r.name === 'Edited after the listing'));
    });
  }

  it('refuses a snapshot listing with a last-page token (it would lose rows changed while paging), through options and the control', async () => {
    await assert.rejects(start({ pages: 'snapshot', token: 'last-page' }), /would lose/);
    env = await start();
    const refused = await fetch(`${env.dv.url}/_sandbox/dataverse/change-tracking`, { method: 'POST', body: JSON.stringify({ pages: 'snapshot', token: 'last-page' }) });
    assert.equal(refused.status, 400);
    const set = await fetch(`${env.dv.url}/_sandbox/dataverse/change-tracking`, { method: 'POST', body: JSON.stringify({ token: 'last-page' }) });
    assert.deepEqual(await set.json(), { pages: 'dynamic', token: 'last-page' });
    await fetch(`${env.dv.url}/_sandbox/dataverse/reset`, { method: 'POST', body: '{}' });
    assert.deepEqual(env.dv.store.changeTracking, { pages: 'dynamic', token: 'last-page' }, 'kept across a reset');
  });
});
