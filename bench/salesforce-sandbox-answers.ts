/**
 * Fidelity check for the Salesforce sandbox's hot paths: a fixed sequence of requests in the connector's shapes
 * (Composite with chained Query More through @{moreN.nextRecordsUrl}, records[0] references in url and body, a
 * reference to nothing, a done batch's nextRecordsUrl, semi-join related queries, subqueries, Composite and
 * plain collection PATCH/upsert/create/delete, allOrNone rollback, an unknown field, bad SOQL, six query
 * operations, an empty body) against an org of SIZE opportunities on a frozen clock; prints every answer
 * (status, headers, body) with query locators and audit times masked. A CPU-only change to the sandbox must
 * leave the output byte-identical: run it on both trees and `cmp` the two files.
 *   ROOT=<other tree> npx tsx bench/salesforce-sandbox-answers.ts > a.txt   (ROOT defaults to this tree)
 * REPEAT=n also prints (stderr) the CPU of three shapes, client included, averaged over n.
 */
const ROOT = process.env.ROOT ?? new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const { F, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } = await import(`${ROOT}/mappings/custom-fields.salesforce.ts`);
const { changesQuery, relatedQueries, windowCondition } = await import(`${ROOT}/connectors/salesforce/soql.ts`);
const { startSalesforceHarness } = await import(`${ROOT}/test/helpers/salesforce-harness.ts`);

const size = Number(process.env.SIZE ?? 3000);
const V = 'v62.0';
const h = await startSalesforceHarness();
// A frozen clock: answers must not depend on when the script ran.
const FIXED = Date.parse('2026-06-01T12:00:00.000Z');
const clock = h.sandbox.clock as { now(): Date; nowMs(): number; iso(): string };
clock.now = () => new Date(FIXED); clock.nowMs = () => FIXED; clock.iso = () => new Date(FIXED).toISOString();
h.sandbox.generate({
  opportunities: size, accounts: Math.max(5, Math.ceil(size / 10)), teamPerOpportunity: 1,
  opportunityFields: (i: number) => ({ [F.optIn]: true, [F.referralId]: `seeded-${i}` }),
  children: (oppId: string, i: number) => [{ type: SOLUTION_OBJECT, values: { [SOLUTION_PARENT_FIELD]: oppId, Name: `Solution ${i}`, [SOLUTION_FIELDS.solutionId]: `SOL-${1000 + (i % 50)}-ABCD` } }],
});
const token = 'fid-token';
h.sandbox.store.tokens.set(token, { userId: h.sandbox.store.all('User')[0]!.Id, expiresAtMs: Number.MAX_SAFE_INTEGER });
type Row = { Id: string; SystemModstamp?: unknown };
const out: string[] = [];
const mask = (t: string) => t.replace(/01g[0-9a-f]{12}/g, '01gLOCATOR').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(\+0000|Z)/g, 'TIME');
async function call(name: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ nextRecordsUrl?: string }> {
  const res = await fetch(`${h.sandbox.url}${path.startsWith('/services') ? '' : `/services/data/${V}`}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const hdrs = [...res.headers.entries()].filter(([k]) => !['date', 'keep-alive', 'connection'].includes(k)).map(([k, v]) => `${k}: ${v}`).join('; ');
  out.push(`## ${name} ${method} ${mask(path).slice(0, 200)}\n${res.status} ${mask(hdrs)}\n${mask(text)}`);
  try { return JSON.parse(text) as { nextRecordsUrl?: string }; } catch { return {}; }
}
const opps = h.sandbox.store.all('Opportunity').sort((a: Row, b: Row) => String(a.SystemModstamp).localeCompare(String(b.SystemModstamp)) || a.Id.localeCompare(b.Id));
const ids = opps.slice(0, 1000).map((o: Row) => o.Id);
const fields = ['Id', 'Name', 'StageName', 'Amount', 'CloseDate', 'SystemModstamp', 'LastModifiedById', F.referralId, 'Account.Name'];
const q = (soql: string) => `/services/data/${V}/query?q=${encodeURIComponent(soql)}`;
const win = windowCondition({ modstamp: String(opps[10]!.SystemModstamp), id: opps[10]!.Id }, { modstamp: String(opps[2500 % opps.length]!.SystemModstamp), id: opps[2500 % opps.length]!.Id });
const rel = relatedQueries({ window: win });
const composite = (reqs: unknown[], allOrNone = false) => ({ allOrNone, compositeRequest: reqs });

// 1. listing: first query + chained Query More in one Composite call
const first = await call('listing first', 'GET', `/query?q=${encodeURIComponent(changesQuery(fields, undefined))}`, undefined, { 'sforce-query-options': 'batchSize=500' });
await call('listing chain', 'POST', '/composite', composite([
  { method: 'GET', url: first.nextRecordsUrl, referenceId: 'more0' },
  { method: 'GET', url: '@{more0.nextRecordsUrl}', referenceId: 'more1' },
  { method: 'GET', url: '@{more1.nextRecordsUrl}', referenceId: 'more2' },
  { method: 'GET', url: '@{more2.nextRecordsUrl}', referenceId: 'more3' },
  { method: 'GET', url: '@{more3.nextRecordsUrl}', referenceId: 'more4' },
]));
// 2. related queries in one Composite call + records[0] reference in URL and body
await call('related', 'POST', '/composite', composite([
  { method: 'GET', url: q(rel.contactRoles), referenceId: 'roles' },
  { method: 'GET', url: q(rel.team), referenceId: 'team' },
  { method: 'GET', url: q(rel.solutions), referenceId: 'sol' },
  { method: 'GET', url: `/services/data/${V}/sobjects/Opportunity/@{roles.records[0].OpportunityId}`, referenceId: 'opp' },
  { method: 'PATCH', url: `/services/data/${V}/sobjects/Opportunity/@{team.records[1].OpportunityId}`, referenceId: 'p', body: { Description: 'from @{sol.records[0].Name} / @{opp.Name} / @{nothing.here}' } },
  { method: 'GET', url: q(`SELECT Id, Description FROM Opportunity WHERE Id = '@{team.records[1].OpportunityId}'`), referenceId: 'check' },
]));
// 3. subqueries by ID (deals-by-id), 2 long text fields -> 200 batches
await call('by id with subqueries', 'GET', `/query?q=${encodeURIComponent(`SELECT Id, Name, (SELECT Id, ContactId, IsPrimary FROM OpportunityContactRoles WHERE IsPrimary = true), (SELECT Id, UserId FROM OpportunityTeamMembers ORDER BY Id ASC) FROM Opportunity WHERE Id IN (${ids.slice(0, 300).map((i: string) => `'${i}'`).join(',')})`)}`);
// 4. writes: version-check read, three collection PATCHes, read after (Composite)
const patches = [0, 1, 2].map((k) => ({ method: 'PATCH', url: `/services/data/${V}/composite/sobjects`, referenceId: `w${k}`, body: { allOrNone: false, records: ids.slice(k * 200, k * 200 + 200).map((id: string, j: number) => ({ attributes: { type: 'Opportunity' }, id, [F.referralId]: `ref-${k}-${j}`, Description: j === 7 ? 'x'.repeat(40000) : `note ${j}`, ...(j === 9 ? { NoSuchField__c: 1 } : {}) })) } }));
await call('writes with bad field', 'POST', '/composite', composite([{ method: 'GET', url: q(`SELECT Id, SystemModstamp FROM Opportunity WHERE Id IN (${ids.slice(0, 5).map((i: string) => `'${i}'`).join(',')})`), referenceId: 'before' }, ...patches]));
patches.forEach((p) => p.body.records.forEach((r: Record<string, unknown>) => delete r.NoSuchField__c));
await call('writes', 'POST', '/composite', composite([{ method: 'GET', url: q(`SELECT Id, SystemModstamp FROM Opportunity WHERE Id IN (${ids.slice(0, 5).map((i: string) => `'${i}'`).join(',')})`), referenceId: 'before' }, ...patches, { method: 'GET', url: q(`SELECT Id, ${F.referralId}, Description, SystemModstamp FROM Opportunity WHERE Id IN (${ids.slice(0, 600).map((i: string) => `'${i}'`).join(',')})`), referenceId: 'after' }]));
await call('plain collection patch', 'PATCH', '/composite/sobjects', { allOrNone: false, records: ids.slice(600, 800).map((id: string, j: number) => ({ attributes: { type: 'Opportunity' }, id, Description: `plain ${j}`, StageName: j % 3 ? 'Prospecting' : 'Bogus' })) });
await call('allOrNone patch', 'PATCH', '/composite/sobjects', { allOrNone: true, records: ids.slice(800, 805).map((id: string, j: number) => ({ attributes: { type: 'Opportunity' }, id, Description: `aon ${j}`, StageName: j === 3 ? 'Bogus' : 'Prospecting' })) });
await call('upsert', 'PATCH', `/composite/sobjects/Opportunity/${F.referralId}`, { allOrNone: false, records: Array.from({ length: 50 }, (_, i) => ({ attributes: { type: 'Opportunity' }, [F.referralId]: i % 2 ? `seeded-${i}` : `new-${i}`, Name: `up ${i}`, StageName: 'Prospecting', CloseDate: '2030-01-01' })) });
await call('create + ref', 'POST', '/composite', composite([
  { method: 'POST', url: `/services/data/${V}/sobjects/Account`, referenceId: 'acc', body: { Name: 'New Co' } },
  { method: 'POST', url: `/services/data/${V}/composite/sobjects`, referenceId: 'opps', body: { allOrNone: false, records: [{ attributes: { type: 'Opportunity' }, Name: 'n1', StageName: 'Prospecting', CloseDate: '2030-01-01', AccountId: '@{acc.id}' }] } },
  { method: 'GET', url: `/services/data/${V}/sobjects/Account/@{acc.id}`, referenceId: 'get' },
  { method: 'DELETE', url: `/services/data/${V}/composite/sobjects?ids=@{opps[0].id}&allOrNone=false`, referenceId: 'del' },
]));
await call('allOrNone composite', 'POST', '/composite', composite([
  { method: 'PATCH', url: `/services/data/${V}/sobjects/Opportunity/${ids[900]}`, referenceId: 'a', body: { Description: 'aon1' } },
  { method: 'PATCH', url: `/services/data/${V}/composite/sobjects`, referenceId: 'b', body: { records: [{ attributes: { type: 'Opportunity' }, id: ids[901], StageName: 'Bogus' }] } },
  { method: 'GET', url: q(`SELECT Id FROM Opportunity WHERE Id = '${ids[900]}'`), referenceId: 'c' },
], true));
await call('bad soql in composite', 'POST', '/composite', composite([{ method: 'GET', url: q('SELECT Id FROM Opportunity WHERE'), referenceId: 'bad' }, { method: 'GET', url: '@{bad.nextRecordsUrl}', referenceId: 'next' }, { method: 'GET', url: '/services/data/v62.0/nothing', referenceId: 'nf' }]));
await call('too many', 'POST', '/composite', composite(Array.from({ length: 6 }, (_, i) => ({ method: 'GET', url: q('SELECT Id FROM Account LIMIT 1'), referenceId: `q${i}` }))));
await call('done chain', 'POST', '/composite', composite([{ method: 'GET', url: q('SELECT Id FROM Account LIMIT 2'), referenceId: 'small' }, { method: 'GET', url: '@{small.nextRecordsUrl}', referenceId: 'more0' }]));
await call('query more plain', 'GET', first.nextRecordsUrl!);
await call('changes after writes', 'GET', `/query?q=${encodeURIComponent(changesQuery(fields, { modstamp: String(opps[0]!.SystemModstamp), id: opps[0]!.Id }))}`);
await call('count', 'GET', `/query?q=${encodeURIComponent('SELECT COUNT() FROM Opportunity')}`);
await call('retrieve', 'POST', '/composite/sobjects/Opportunity', { ids: ids.slice(0, 3), fields: ['Id', 'Name', 'Description'] });
await call('sobject get', 'GET', `/sobjects/Opportunity/${ids[0]}`);
await call('empty body', 'PATCH', '/composite/sobjects');
console.log(out.join('\n'));

// CPU per shape: the listing chain of 2,000-row batches and a Composite of writes, repeated.
const repeat = Number(process.env.REPEAT ?? 0);
if (repeat > 0) {
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const timed = async (name: string, run: () => Promise<unknown>) => { await run(); const s = cpu(); for (let i = 0; i < repeat; i++) await run(); console.error(`${name}: ${((cpu() - s) / repeat).toFixed(1)} ms CPU (client+server, one process)`); };
  await timed('listing 1 + 3 chained (2,000-row batches)', async () => {
    const f = await (await fetch(`${h.sandbox.url}${q(changesQuery(fields, undefined))}`, { headers: { authorization: `Bearer ${token}` } })).json() as { nextRecordsUrl: string };
    await (await fetch(`${h.sandbox.url}/services/data/${V}/composite`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(composite([{ method: 'GET', url: f.nextRecordsUrl, referenceId: 'more0' }, { method: 'GET', url: '@{more0.nextRecordsUrl}', referenceId: 'more1' }, { method: 'GET', url: '@{more1.nextRecordsUrl}', referenceId: 'more2' }])) })).text();
  });
  await timed('composite read + 3 PATCH of 200 + read', async () => { await (await fetch(`${h.sandbox.url}/services/data/${V}/composite`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(composite([patches[0], patches[1], patches[2]])) })).text(); });
  await timed('related (window) x3', async () => { await (await fetch(`${h.sandbox.url}/services/data/${V}/composite`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(composite([{ method: 'GET', url: q(rel.contactRoles), referenceId: 'roles' }, { method: 'GET', url: q(rel.team), referenceId: 'team' }, { method: 'GET', url: q(rel.solutions), referenceId: 'sol' }])) })).text(); });
}
await h.close();
