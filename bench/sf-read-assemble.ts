/**
 * The engine CPU of turning one Salesforce listing page into deals, alone: the rows as the sandbox answers
 * them (a 2,000-row listing batch and its page's related call), then what the reader does with them
 * (read.ts, read-deals.ts): each listed row's version (the listing's "does the engine hold it" check), the
 * related rows' versions for the related-row index (related-versions.ts), the deals (deals-of-rows.ts,
 * assemble.ts) and the unfinished-close check (unfinished-close.ts). The whole-run figures of
 * changed-cycles.ts move by 10-20% on a shared machine; this isolates the path a change to it touches.
 *
 *   npx tsx bench/sf-read-assemble.ts --capture FILE [--rows 2000] [--linked 1000]
 *     starts a sandbox org, seeds the rows (the first `--linked` of them linked: a referral ID, an outside
 *     team and invitations as the connector keeps them), reads the first page as the reader does, writes
 *     the answers and the org's stages to FILE (JSON).
 *   node --expose-gc --import tsx bench/sf-read-assemble.ts --page FILE [--root DIR] [--iterations 40]
 *     assembles FILE's page `--iterations` times with the modules under DIR (default: this checkout; a dist/
 *     folder: the compiled modules), each
 *     time from freshly parsed rows (parsing is jsforce's and is not timed). Prints the median and the
 *     lowest CPU per page, and a digest of the deals and related versions: old and new code must print
 *     the same digest. Run an old checkout and this one in alternation. `--callgrind`, under
 *     `valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file node --expose-gc --import tsx …`:
 *     instructions are counted for the timed part of each iteration after the third (deterministic where
 *     CPU time on this shared machine is not).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values: args } = parseArgs({ options: { capture: { type: 'string' }, page: { type: 'string' }, root: { type: 'string' }, rows: { type: 'string', default: '2000' }, linked: { type: 'string', default: '1000' }, iterations: { type: 'string', default: '40' }, callgrind: { type: 'boolean', default: false } } });
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Page {
  stages: unknown[];
  listed: Record<string, unknown>[];
  related: { current: Record<string, unknown>[]; contactRoles: unknown[]; team: unknown[]; solutions: unknown[]; invitations: unknown[] };
}

async function capture(file: string, rows: number, linked: number): Promise<void> {
  const { startSalesforceHarness } = await import('../test/helpers/salesforce-harness.js');
  const { seedCrmDeals } = await import('./seed.js');
  const { F, INVITATION_FIELDS, INVITATION_OBJECT, SOLUTION_PARENT_FIELD } = await import('../mappings/custom-fields.salesforce.js');
  const { insertRaw } = await import('../sandbox/salesforce/seed.js');
  const { queryStages } = await import('../connectors/salesforce/stage-listing.js');
  const { opportunityFields } = await import('../connectors/salesforce/opportunity-fields.js');
  const { listingFields } = await import('../connectors/salesforce/long-text-apart.js');
  const { changesQuery, windowCondition } = await import('../connectors/salesforce/soql.js');
  const { positionOf } = await import('../connectors/salesforce/feed-window.js');
  const { readPageRelated } = await import('../connectors/salesforce/page-related.js');
  const { effectiveFieldTable } = await import('../mappings/fields.salesforce.js');
  const h = await startSalesforceHarness();
  try {
    const ids = seedCrmDeals('salesforce', { salesforce: h.sandbox } as never, rows);
    // Linked rows carry what the connector writes back: referral ID and status, outside team and invitations JSON.
    for (const [i, id] of ids.slice(0, linked).entries()) {
      const row = h.sandbox.store.get('Opportunity', id)!;
      Object.assign(row, {
        [F.referralId]: `ref-${String(i).padStart(6, '0')}`, [F.referralStatus]: 'Active/Accepted', [F.direction]: 'Outbound', [F.microsoftStatus]: 'Active',
        [F.outsideTeam]: JSON.stringify([{ FirstName: 'Mia', LastName: 'Msft', Email: `mia${i}@microsoft.example`, Phone: '' }]),
        [F.invitations]: JSON.stringify([{ partner: { id: `partner-${i % 7}`, name: `Partner ${i % 7}` }, value: 10000, currency: 'USD', closeDate: '2027-01-31', team: [], solutions: [], status: 'Pending' }]),
        [F.lastSynced]: '2026-11-02T10:00:00.000+0000', [F.syncState]: 'Synced',
      });
      // A seller's invitation request on one linked deal in ten.
      if (i % 10 === 0) insertRaw(h.sandbox.store, INVITATION_OBJECT, { [SOLUTION_PARENT_FIELD]: id, [INVITATION_FIELDS.partnerId]: `partner-${i % 5}`, [INVITATION_FIELDS.value]: 5000, [INVITATION_FIELDS.currency]: 'USD', [INVITATION_FIELDS.notes]: 'Please help with the migration' });
    }
    const client = h.adapter.client;
    const fields = opportunityFields({ rows: effectiveFieldTable() });
    const listed = (await client.query<Record<string, unknown> & { Id: string }>(changesQuery(listingFields(fields), undefined), rows)).records;
    const { related } = await readPageRelated(client, windowCondition(undefined, positionOf(listed[listed.length - 1]!)), listed);
    const page: Page = { stages: await queryStages(client), listed, related };
    writeFileSync(file, JSON.stringify(page));
    console.log(`captured ${listed.length} listed rows, ${related.current.length} current, ${related.contactRoles.length} contact roles, ${related.team.length} team, ${related.solutions.length} solutions, ${related.invitations.length} invitations -> ${file}`);
  } finally {
    await h.close();
  }
}

const KEPT = ['Cosell_Invitations__c', 'Cosell_Outside_Team__c'];

/** JSON with object keys sorted: the digest of two codes' deals agrees whatever order they set fields in. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

async function measure(file: string, root: string, iterations: number): Promise<void> {
  // A checkout's TypeScript (through tsx), or its compiled dist/ (as the engine host runs it; profiles keep lines).
  const compiled = !existsSync(path.join(root, 'connectors/salesforce/deals-of-rows.ts'));
  const load = (module: string) => import(path.join(root, compiled ? module.replace(/\.ts$/, '.js') : module));
  const { dealsOfRows } = await load('connectors/salesforce/deals-of-rows.ts');
  const { RelatedVersions } = await load('connectors/salesforce/related-versions.ts');
  const longText = await load('connectors/salesforce/long-text-apart.ts');
  const { opportunityVersionMemo } = longText;
  const { markUnfinishedCloses } = await load('connectors/salesforce/unfinished-close.ts');
  const { effectiveFieldTable } = await load('mappings/fields.salesforce.ts');
  const { buildStageMap } = await load('mappings/stages.salesforce.ts');
  const text = readFileSync(file, 'utf8');
  const stages = (JSON.parse(text) as Page).stages;
  const ctx = { rows: effectiveFieldTable(), stageMap: buildStageMap(stages), optInRules: { requireSolution: true } };
  let remembered: unknown[] = [];
  const index = { rememberRelatedRows: async (rows: unknown[]) => void remembered.push(...rows), settleRelatedVersions: async () => 0, relatedParents: async () => new Map(), relatedVersions: async () => new Map(), markRelatedGone: async () => {}, forgetRelatedGone: async () => 0 };
  const noQueries = { query: () => Promise.reject(new Error('the page read no history')), queryMore: () => Promise.reject(new Error('no')) };
  const cpu: number[] = [];
  let digest = '';
  for (let i = 0; i < iterations; i += 1) {
    const page = JSON.parse(text) as Page;
    // The page's rows are its listed rows completed with the kept fields (long-text-apart.ts `withApartFields`:
    // copies that share the listed rows' values, the account and owner objects included), as in the reader.
    const listedById = new Map(page.listed.map((r) => [r.Id, r]));
    page.related.current = page.related.current.map((row) => ({ ...listedById.get(row.Id as string), ...Object.fromEntries(KEPT.filter((f) => f in row).map((f) => [f, row[f]])) }));
    remembered = [];
    // Run with node --expose-gc: the collection of the last iteration's garbage is then not timed.
    (globalThis as { gc?: () => void }).gc?.();
    const versions = new RelatedVersions(index);
    // The run's ID is random: the digest below leaves it out.
    await versions.begin(undefined);
    const notes = { lastStage: new Map(), copies: new Map() };
    // --callgrind (the process under `valgrind --tool=callgrind --instr-atstart=no`): instructions counted
    // for the timed part of the iterations after the first three (V8 has compiled the code by then).
    const counted = args.callgrind && i >= 3;
    if (counted) execFileSync('callgrind_control', ['-i', 'on', String(process.pid)], { stdio: 'ignore' });
    const start = process.cpuUsage();
    const versionOf = opportunityVersionMemo();
    for (const row of page.listed) versionOf(row);
    await versions.read(page.related.current, page.related);
    // The page's rows are versioned as read.ts `buildPage` does (from 2026-12-07: as their listed rows were).
    const pageVersionOf = longText.listedVersionOf ? longText.listedVersionOf(page.listed, versionOf) : versionOf;
    const deals = dealsOfRows(page.related.current, page.related, ctx, pageVersionOf, notes);
    await markUnfinishedCloses(noQueries, page.related.current, deals, ctx.stageMap);
    const used = process.cpuUsage(start);
    if (counted) execFileSync('callgrind_control', ['-i', 'off', String(process.pid)], { stdio: 'ignore' });
    cpu.push((used.user + used.system) / 1000);
    if (i === 0) {
      const h = createHash('sha256');
      h.update(sortedJson(deals));
      h.update(sortedJson(remembered.map((r) => ({ ...(r as object), run: undefined }))));
      h.update(sortedJson([...notes.lastStage, ...notes.copies]));
      digest = h.digest('hex').slice(0, 16);
    }
  }
  const sorted = [...cpu].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  // The first iterations run before the code is optimised: the median and the lowest of the rest.
  const warm = cpu.slice(5).sort((a, b) => a - b);
  console.log(JSON.stringify({ root, iterations, medianMs: +median.toFixed(2), warmMedianMs: +(warm[Math.floor(warm.length / 2)] ?? median).toFixed(2), minMs: +sorted[0]!.toFixed(2), firstMs: +cpu[0]!.toFixed(2), digest }));
}

if (args.capture) await capture(args.capture, Number(args.rows), Number(args.linked));
else if (args.page) await measure(args.page, path.resolve(args.root ?? here), Number(args.iterations));
else console.error('usage: --capture FILE | --page FILE [--root DIR]');
