/**
 * What turning Partner Center answers into referrals, and referrals into request bodies, costs per referral,
 * in two compiled trees side by side: `npx tsx bench/referral-parse.ts --old <copy of dist-bench> [--new <dir>]
 * [--referrals 200] [--rounds 9] [--no-compile]`. The trees are the ones the benchmark hosts run (tsc
 * output, bench/compiled-hosts.ts): copy `dist-bench/` aside before a change and pass it as `--old`; `--new`
 * is this checkout's `dist-bench/` (compiled first unless `--no-compile`). Both run in this one process, each
 * stage in turn, old and new alternating round after round, so that a shared machine's load falls on both
 * alike; it prints each stage's median CPU microseconds per referral and the ratio new / old.
 *
 * The referrals are the Partner Center sandbox's own (its realistic seed, then bulk ones to `--referrals`), as
 * its routes answer them: a list page holds the stored referral, a GET/PATCH/POST answer adds `@odata.context`
 * and `links`. Stages, all through each tree's public entry points:
 * - read: `referralFromApi` of an answer (what a GET, a PATCH with a representation, a POST costs);
 * - list: `PartnerCenterClient.list` over pages of 100 (page check, then each referral mapped);
 * - toApi: `referralToApi`; create: `PartnerCenterClient.create` (the create body, then the answer read);
 * - patch: `patchOperations` for a new note and value; update: `PartnerCenterClient.update` (the patch, the
 *   answer read): the Partner Center side of one changed record of the 1% cycle.
 * Before timing, it checks that both trees give the same results (JSON text, so key order counts).
 *
 * Instructions instead of CPU time (this machine's CPU times move by 20% with the other load): `--save-samples
 * F` writes the referrals to F; then, under callgrind (no sandbox to start, whose key generation is slow there),
 * `valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file --callgrind-out-file=P.%p node
 * --import tsx bench/referral-parse.ts --old … --no-compile --samples F --callgrind P` counts each
 * stage's instructions per referral, 5 passes of each tree after 20 of warm-up (`callgrind_control` switches the
 * counting on around it and dumps to P.<pid>.<n>).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { benchDist, compileHosts } from './compiled-hosts.js';

const { values } = parseArgs({
  options: {
    old: { type: 'string' },
    new: { type: 'string', default: benchDist },
    referrals: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '9' },
    'no-compile': { type: 'boolean', default: false },
    samples: { type: 'string' },
    'save-samples': { type: 'string' },
    callgrind: { type: 'string' },
  },
});

type Json = Record<string, unknown>;
interface Tree {
  name: string;
  referralFromApi(json: unknown): Json;
  referralToApi(referral: Json): Json;
  patchOperations(previous: Json, next: Json): unknown[];
  client(answers: Json[], pages: Json[][]): {
    list(): AsyncIterable<{ referrals: Json[] }>;
    create(referral: Json): Promise<Json>;
    update(previous: Json, next: Json): Promise<Json>;
  };
}

async function loadTree(name: string, dir: string): Promise<Tree> {
  const at = (path: string) => import(pathToFileURL(`${dir.replace(/\/$/, '')}/${path}`).href);
  const mapping = await at('connectors/partner-center/mapping.js');
  const { PartnerCenterClient } = await at('connectors/partner-center/client.js');
  const { ReferralsEndpoint } = await at('connectors/partner-center/referrals.js');
  return {
    name,
    referralFromApi: mapping.referralFromApi,
    referralToApi: mapping.referralToApi,
    patchOperations: mapping.patchOperations,
    client(answers, pages) {
      // The HTTP layer answers from memory: a list request gets the next page, a PATCH the answer of its
      // referral, a POST the answers in turn.
      const byId = new Map(answers.map((a) => [`/${String(a.id)}`, a]));
      let page = 0;
      let created = 0;
      const http = {
        send: async (request: { method: string; path: string }) => {
          if (request.method === 'PATCH') return { status: 200, data: byId.get(request.path) };
          if (request.method === 'POST') return { status: 201, data: answers[created++ % answers.length] };
          const value = pages[page % pages.length];
          page += 1;
          return { status: 200, data: { '@odata.count': 0, value, ...(page % pages.length ? { '@odata.nextLink': `https://x/?$skiptoken=${page}` } : {}) } };
        },
      };
      return new PartnerCenterClient(new ReferralsEndpoint(http), http, 0);
    },
  };
}

async function sampleReferrals(dir: string, count: number): Promise<Json[]> {
  const at = (path: string) => import(pathToFileURL(`${dir.replace(/\/$/, '')}/${path}`).href);
  const { startPartnerCenterSandbox } = await at('sandbox/partner-center/index.js');
  const pc = await startPartnerCenterSandbox({ seed: 'default' });
  try {
    const seeded = pc.store.all().length;
    if (count > seeded) pc.reset('default', count - seeded);
    return JSON.parse(JSON.stringify(pc.store.all().slice(0, count))) as Json[];
  } finally {
    await pc.close();
  }
}

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
/** Instructions of `run` by callgrind's count: zeroed, switched on around it, dumped and read back. */
async function instructions(prefix: string, mark: string, run: () => Promise<void>): Promise<number> {
  const control = (...args: string[]) => execFileSync('callgrind_control', [...args, String(process.pid)], { stdio: 'ignore' });
  control('-z');
  control('-i', 'on');
  await run();
  control('-i', 'off');
  control('-d', mark);
  const dumps = `${basename(prefix)}.${process.pid}.`;
  for (const file of readdirSync(dirname(prefix)).filter((f) => f.startsWith(dumps))) {
    const text = readFileSync(join(dirname(prefix), file), 'utf8');
    if (text.includes(`desc: Trigger: dump ${mark}\n`)) return Number(/^totals: (\d+)/m.exec(text)?.[1]);
  }
  throw new Error(`no callgrind dump ${mark} under ${prefix}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  if (!values.old) throw new Error('--old <dir>: a copy of dist-bench/ compiled from the code before the change');
  if (!values['no-compile']) compileHosts();
  const trees = [await loadTree('old', values.old), await loadTree('new', values.new)];
  const stored = values.samples ? (JSON.parse(readFileSync(values.samples, 'utf8')) as Json[]) : await sampleReferrals(values.new, Number(values.referrals));
  if (values['save-samples']) writeFileSync(values['save-samples'], JSON.stringify(stored));
  const answers = stored.map((r) => ({ '@odata.context': 'https://api.partner.microsoft.com/v1.0/$metadata#Referral/$entity', ...r, links: { self: { uri: `https://api.partner.microsoft.com/v1.0/engagements/referrals/${String(r.id)}`, method: 'GET' } } }));
  const pages: Json[][] = [];
  for (let i = 0; i < stored.length; i += 100) pages.push(stored.slice(i, i + 100));
  // Each tree writes from the referrals it read itself, as the engine does (their objects may differ in shape).
  const read = trees.map((t) => answers.map((a) => t.referralFromApi(a)));
  const edited = read.map((referrals) => referrals.map((r) => ({ ...r, notes: `${String(r.notes ?? '')} (call on Monday)`, value: Number(r.value ?? 0) + 500 })));

  type Stage = (tree: Tree, client: ReturnType<Tree['client']>) => Promise<unknown[]> | unknown[];
  const referralsOf = (t: Tree) => read[trees.indexOf(t)] as Json[];
  const changedOf = (t: Tree) => edited[trees.indexOf(t)] as Json[];
  const stages: Record<string, Stage> = {
    read: (t) => answers.map((a) => t.referralFromApi(a)),
    list: async (_t, c) => {
      const out: unknown[] = [];
      for await (const page of c.list()) out.push(...page.referrals);
      return out;
    },
    toApi: (t) => referralsOf(t).map((r) => t.referralToApi(r)),
    create: async (t, c) => {
      const out: unknown[] = [];
      for (const r of referralsOf(t)) out.push(await c.create(r));
      return out;
    },
    patch: (t) => referralsOf(t).map((r, i) => t.patchOperations(r, changedOf(t)[i] as Json)),
    update: async (t, c) => {
      const out: unknown[] = [];
      const [referrals, changed] = [referralsOf(t), changedOf(t)];
      for (let i = 0; i < referrals.length; i += 1) out.push(await c.update(referrals[i] as Json, changed[i] as Json));
      return out;
    },
  };
  const clients = trees.map((t) => t.client(answers, pages));

  for (const [name, stage] of Object.entries(stages)) {
    const a = await stage(trees[0] as Tree, clients[0] as ReturnType<Tree['client']>);
    const b = await stage(trees[1] as Tree, clients[1] as ReturnType<Tree['client']>);
    const same = JSON.stringify(a) === JSON.stringify(b);
    console.log(`${name}: ${a.length} results, old and new ${same ? 'identical' : 'DIFFER'}`);
    if (!same) process.exitCode = 1;
  }

  if (values.callgrind) {
    console.log(`\n${stored.length} referrals; instructions per referral (callgrind: 5 passes after 20 of warm-up)`);
    console.log('| stage | old | new | new / old |\n|---|---|---|---|');
    for (const [name, stage] of Object.entries(stages)) {
      const counts: number[] = [];
      for (const [i, tree] of trees.entries()) {
        const client = clients[i] as ReturnType<Tree['client']>;
        for (let k = 0; k < 20; k += 1) await stage(tree, client);
        const measured = async () => {
          for (let k = 0; k < 5; k += 1) await stage(tree, client);
        };
        counts.push((await instructions(values.callgrind, `${name}-${tree.name}`, measured)) / 5 / stored.length);
      }
      console.log(`| ${name} | ${(counts[0] as number).toFixed(0)} | ${(counts[1] as number).toFixed(0)} | ${((counts[1] as number) / (counts[0] as number)).toFixed(2)} |`);
    }
    return;
  }

  const rounds = Number(values.rounds);
  if (rounds === 0) return;
  const repeat = Math.max(1, Math.round(20_000 / stored.length));
  const times: Record<string, number[][]> = {};
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, stage] of Object.entries(stages)) {
      for (const [i, tree] of trees.entries()) {
        const client = clients[i] as ReturnType<Tree['client']>;
        const start = cpu();
        for (let k = 0; k < repeat; k += 1) await stage(tree, client);
        ((times[name] ??= [[], []])[i] as number[]).push((cpu() - start) / repeat / stored.length);
      }
    }
  }
  console.log(`\n${stored.length} referrals, ${rounds} rounds of ${repeat} passes; median CPU µs per referral (shared machine: compare within a run)`);
  console.log('| stage | old | new | new / old |\n|---|---|---|---|');
  for (const [name, [old, now]] of Object.entries(times)) {
    const o = median(old as number[]);
    const n = median(now as number[]);
    console.log(`| ${name} | ${o.toFixed(2)} | ${n.toFixed(2)} | ${(n / o).toFixed(2)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
