/**
 * How the Salesforce sandbox's own cost grows with the org: `npx tsx bench/salesforce-sandbox.ts 1000,10000,50000`.
 * For each size it builds an org the way `npm run bench` does (N opted-in opportunities, each with a
 * primary contact role, a team member and a solution), then times, over loopback HTTP, the request
 * shapes the connector sends that touch 200 records: a change-feed page after a position near the end,
 * the related queries of that page (semi-join on its window), a read by 200 IDs, a 200-record
 * collection update and a 200-record upsert by the referral-ID external ID. A sandbox that costs what a
 * request touches shows the same milliseconds at every N. Prints one Markdown row per size and shape.
 */
import { F, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../mappings/custom-fields.salesforce.js';
import { changesQuery, relatedQueries, windowCondition } from '../connectors/salesforce/soql.js';
import { startSalesforceHarness } from '../test/helpers/salesforce-harness.js';

const VERSION = 'v62.0';
const TOUCHED = 200;
const REPEATS = 5;

async function measure(size: number): Promise<Record<string, number>> {
  const h = await startSalesforceHarness();
  const seedStart = performance.now();
  h.sandbox.generate({
    opportunities: size, accounts: Math.max(5, Math.ceil(size / 10)), teamPerOpportunity: 1,
    opportunityFields: (i) => ({ [F.optIn]: true, [F.referralId]: `seeded-${i}` }),
    children: (oppId, i) => [{ type: SOLUTION_OBJECT, values: { [SOLUTION_PARENT_FIELD]: oppId, Name: `Solution ${i}`, [SOLUTION_FIELDS.solutionId]: `SOL-${1000 + (i % 50)}-ABCD` } }],
  });
  const seedMs = performance.now() - seedStart;
  const token = 'bench-token';
  h.sandbox.store.tokens.set(token, { userId: h.sandbox.store.all('User')[0]!.Id, expiresAtMs: Number.MAX_SAFE_INTEGER });
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${h.sandbox.url}/services/data/${VERSION}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  const query = (soql: string) => call('GET', `/query?q=${encodeURIComponent(soql)}`) as Promise<{ records: { Id: string; SystemModstamp: string }[] }>;

  // The last TOUCHED opportunities in feed order: the change feed reads from the one before them.
  const opps = h.sandbox.store.all('Opportunity').sort((a, b) => String(a.SystemModstamp).localeCompare(String(b.SystemModstamp)) || a.Id.localeCompare(b.Id));
  const from = opps[opps.length - TOUCHED - 1]!;
  const to = opps[opps.length - 1]!;
  const fromPos = { modstamp: String(from.SystemModstamp), id: from.Id };
  const window = windowCondition(fromPos, { modstamp: String(to.SystemModstamp), id: to.Id });
  const ids = opps.slice(-TOUCHED).map((o) => o.Id);
  let round = 0;
  const shapes: Record<string, () => Promise<unknown>> = {
    'change-feed page': () => query(changesQuery(['Id', 'Name', 'StageName', 'Amount', 'SystemModstamp'], fromPos)),
    'related (window)': async () => {
      const related = relatedQueries({ window });
      await Promise.all([query(related.contactRoles), query(related.team), query(related.solutions)]);
    },
    'read 200 by Id': () => query(`SELECT Id, Name FROM Opportunity WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`),
    'update 200': () => call('PATCH', '/composite/sobjects', { allOrNone: false, records: ids.map((id) => ({ attributes: { type: 'Opportunity' }, id, Description: `round ${round}` })) }),
    'upsert 200 by ext ID': () => call('PATCH', `/composite/sobjects/Opportunity/${F.referralId}`, {
      allOrNone: false, records: ids.map((_id, i) => ({ attributes: { type: 'Opportunity' }, [F.referralId]: `bench-${size}-${i}`, Name: `upserted ${round}`, StageName: 'Prospecting', CloseDate: '2030-01-01' })),
    }),
  };
  const out: Record<string, number> = { 'seed (in-process)': seedMs };
  for (const [name, run] of Object.entries(shapes)) {
    await run();
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i += 1) {
      round += 1;
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
    out[name] = times.sort((a, b) => a - b)[Math.floor(REPEATS / 2)]!;
  }
  await h.close();
  return out;
}

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
console.log('| N | request shape (touches 200) | median ms |\n|--:|---|--:|');
for (const size of sizes) {
  for (const [name, ms] of Object.entries(await measure(size))) console.log(`| ${size} | ${name} | ${ms.toFixed(1)} |`);
}
