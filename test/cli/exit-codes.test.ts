/**
 * The README's exit-code table, command by command, through the real binary against the sandboxes. Each
 * case sets up the situation an admin would meet and checks the code and that the message says why.
 * A last test reads the README's table and fails if a (code, command) pair it documents has no case here.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { EXIT } from '../../core/cli/exit-codes.js';
import { COSELL_BIN, cosell, startCliWorld, startCosell, waitFor, type CliResult, type CliWorld } from '../helpers/cli.js';

interface Case {
  code: number;
  command: string;
  situation: string;
  run(): Promise<CliResult>;
  /** What the output must say, beyond the code. */
  says?: RegExp;
}

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** `| 7 | meaning | \`sync\`, \`run\` |` → [7, ['sync', 'run']]; "every command" → all. */
function documentedPairs(): { code: number; commands: string[] | 'all' }[] {
  return README.split('\n')
    .map((line) => /^\| (\d) \| .* \| (.+) \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ code: Number(m[1]), commands: m[2]!.trim() === 'every command' ? 'all' : [...m[2]!.matchAll(/`([^`]+)`/g)].map((c) => c[1]!) }));
}

describe('exit codes, as the README documents them (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  let scratch: string;
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);

  before(async () => {
    world = await startCliWorld('salesforce');
    scratch = mkdtempSync(join(tmpdir(), 'cosell-exit-'));
  });
  after(async () => {
    await world?.close();
    rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(() => {
    world.set.partnerCenter.faults.configure(undefined);
    world.runtime.store.releaseLock('exit-code-test');
  });

  const wrongSalesforceKey = () => {
    const pem = join(scratch, 'not-the-registered-key.pem');
    writeFileSync(pem, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    return world.configVariant('wrong-key', (c) => {
      const crm = c.crm as unknown as { salesforce: { auth: { privateKey: string } } };
      crm.salesforce.auth.privateKey = `file:${pem}`;
      return c;
    });
  };
  const missingEnvSecret = () =>
    world.configVariant('missing-env', (c) => {
      (c.crm as unknown as { salesforce: { auth: { privateKey: string } } }).salesforce.auth.privateKey = 'env:COSELL_TEST_UNSET_KEY';
      return c;
    });
  const storeAt = (name: string, file: string) => world.configVariant(name, (c) => ({ ...c, store: { path: file } }));
  const damagedStore = () => {
    const file = join(scratch, 'damaged.sqlite');
    writeFileSync(file, 'this is not a SQLite database, whatever its name says'.repeat(100));
    return storeAt('damaged', file);
  };
  const holdLock = () => world.runtime.store.acquireLock('exit-code-test', Date.now(), 60_000, { pid: process.pid, host: hostname() });
  const withConfig = (file: string, args: string[]) => cosell(['-c', file, ...args]);
  const importFixture = fileURLToPath(new URL('../fixtures/csv/european-excel.csv', import.meta.url));
  const partnerCenterWrites = () => Object.entries(world.set.partnerCenter.counters.snapshot()).filter(([k]) => /POST|PATCH/.test(k)).reduce((n, [, v]) => n + v, 0);
  /** Runs the command `args` makes for a scratch file `name`, then checks that the file was not left behind. */
  const leavesNo = (name: string, args: (file: string) => string[]) => async () => {
    const file = join(scratch, name);
    const result = await world.cli(args(file));
    assert.equal(existsSync(file), false, `${file} was left behind`);
    return result;
  };
  /** Runs an import whose results file cannot be written, then checks that nothing was sent or printed as done. */
  const importsNothing = (args: () => string[]) => async () => {
    const before = partnerCenterWrites();
    const result = await world.cli(args());
    assert.equal(partnerCenterWrites(), before, 'nothing was sent to Partner Center');
    assert.equal(result.stdout, '', 'no import summary: the import did not run');
    return result;
  };

  // 0 — done.
  add({ code: 0, command: 'init', situation: 'a new config file', run: () => cosell(['-c', join(scratch, 'new.yaml'), 'init']), says: /Wrote/ });
  add({ code: 0, command: 'setup', situation: 'set up again (safe to repeat)', run: () => world.cli(['setup', 'salesforce']), says: /already present/ });
  add({ code: 0, command: 'check', situation: 'everything ready', run: () => world.cli(['check']), says: /are ready/ });
  add({ code: 0, command: 'check', situation: 'everything ready, as JSON', run: () => world.cli(['check', '--json']), says: /^\{\n {2}"ready": true,/ });
  add({ code: 0, command: 'conflicts', situation: 'none open, as JSON', run: () => world.cli(['conflicts', 'list', '--json']), says: /^\[\]\n/ });
  add({ code: 0, command: 'sync', situation: 'nothing wrong', run: () => world.cli(['sync', '--once']), says: /^OK /m });
  add({ code: 0, command: 'status', situation: 'a state database exists', run: () => world.cli(['status']), says: /Links:/ });
  add({ code: 0, command: 'conflicts', situation: 'none open', run: () => world.cli(['conflicts', 'list']), says: /No open conflicts/ });
  add({ code: 0, command: 'state', situation: 'a backup', run: () => world.cli(['state', 'backup', join(scratch, 'backup.sqlite')]), says: /integrity ok/ });
  add({ code: 0, command: 'unlock', situation: 'nobody holds the lock', run: () => world.cli(['unlock']), says: /Nobody holds/ });
  add({
    code: 0,
    command: 'explain',
    situation: 'a CRM record not yet synced',
    run: async () => world.cli(['explain', await world.seller.createDeal(dealSpec('Explained deal'))]),
    says: /not linked to a referral yet/,
  });
  add({ code: 0, command: 'export', situation: 'an export', run: () => world.cli(['export', '--out', join(scratch, 'export.csv')]), says: /Exported \d+ referral/ });
  add({ code: 0, command: 'export', situation: 'option values in any case', run: () => world.cli(['export', '--direction', 'Outbound', '--status', 'active', '--out', join(scratch, 'cased.csv')]), says: /Exported \d+ referral/ });
  // The results file's real default is described, not shown as `(default: "")`.
  add({ code: 0, command: 'import', situation: '--help', run: () => world.cli(['import', '--help']), says: /--results <file>\s+where to write the results file\s+\(by\s+default\s+next\s+to\s+the\s+CSV\s+file:\s+deals\.csv\s+gives\s+deals\.results\.csv,\s+or\s+deals\.dry-run\.results\.csv\s+with\s+--dry-run\)/ });

  // 1 — failed.
  const whilePartnerCenterFails = (args: () => string[]) => async () => {
    world.set.partnerCenter.faults.configure({ rate: 1, kinds: { 'server-error': 1 } });
    const noRetry = world.configVariant('no-retry', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, retry: { retries: 0, baseMs: 1, maxMs: 5, maxRetryAfterMs: 5 } } }));
    return withConfig(noRetry, args());
  };
  const failing = 'Partner Center answers 500 to everything (no retries in this config)';
  add({ code: 1, command: 'sync', situation: failing, run: whilePartnerCenterFails(() => ['sync', '--once']), says: /^FAILED /m });
  add({ code: 1, command: 'import', situation: failing, run: whilePartnerCenterFails(() => ['import', importFixture, '--results', join(scratch, 'failed.results.csv')]) });
  add({
    code: 1,
    command: 'export',
    situation: `${failing}; leaves no partial file`,
    run: async () => {
      const result = await whilePartnerCenterFails(() => ['export', '--out', join(scratch, 'failed.csv')])();
      assert.equal(existsSync(join(scratch, 'failed.csv')), false, 'the half-written export was removed');
      return result;
    },
  });

  // 2 — config or usage.
  add({ code: 2, command: 'init', situation: 'the file exists', run: () => world.cli(['init']), says: /already exists/ });
  add({ code: 2, command: 'init', situation: 'a config file in a folder that does not exist', run: () => cosell(['-c', join(scratch, 'absent-folder', 'new.yaml'), 'init']), says: /^cosell: --config: cannot write .*absent-folder\/new\.yaml: the folder .*absent-folder does not exist$/m });
  add({ code: 2, command: 'state', situation: 'a backup into a folder that does not exist', run: leavesNo(join('absent-folder', 'backup.sqlite'), (file) => ['state', 'backup', file]), says: /^cosell: FILE: cannot write .*absent-folder\/backup\.sqlite: the folder .*absent-folder does not exist$/m });
  add({ code: 2, command: 'setup', situation: 'the wrong CRM', run: () => world.cli(['setup', 'dynamics']), says: /not dynamics/ });
  add({ code: 2, command: 'check', situation: 'a missing env: secret', run: () => withConfig(missingEnvSecret(), ['check']), says: /privateKey: the environment variable COSELL_TEST_UNSET_KEY is not set/ });
  add({
    code: 2,
    command: 'check',
    situation: 'the Dynamics 365 template `cosell init` wrote, not filled in',
    run: async () => {
      const file = join(scratch, 'unfilled-dynamics.yaml');
      const init = await cosell(['-c', file, 'init', '--crm', 'dynamics']);
      assert.equal(init.code, 0, init.stderr);
      // The secret set, as an admin following the template would: only the <…> values are left.
      return cosell(['-c', file, 'check'], { env: { DATAVERSE_CLIENT_SECRET: 'the-secret-the-admin-exported' } });
    },
    says: /crm > dynamics > tenantId: still holds the placeholder "<directory \(tenant\) id>" that cosell init wrote/,
  });
  add({ code: 2, command: 'sync', situation: 'a missing env: secret', run: () => withConfig(missingEnvSecret(), ['sync', '--once']), says: /privateKey: the environment variable COSELL_TEST_UNSET_KEY/ });
  add({ code: 2, command: 'sync', situation: 'an unknown option', run: () => world.cli(['sync', '--bogus']), says: /unknown option '--bogus'/ });
  add({ code: 2, command: 'run', situation: '--interval 0', run: () => world.cli(['run', '--interval', '0']), says: /--interval/ });
  add({ code: 2, command: 'login', situation: 'an unknown service', run: () => world.cli(['login', 'salesforce']), says: /only "partner-center"/ });
  add({ code: 2, command: 'status', situation: 'no config file', run: () => cosell(['-c', join(scratch, 'absent.yaml'), 'status']), says: /absent\.yaml/ });
  add({ code: 2, command: 'conflicts', situation: 'a conflict that does not exist', run: () => world.cli(['conflicts', 'show', '999']), says: /no conflict 999/ });
  add({ code: 2, command: 'state', situation: 'a backup over an existing file', run: () => world.cli(['state', 'backup', world.configFile]), says: /already exists/ });
  add({ code: 2, command: 'export', situation: 'a --since that is not a date', run: () => world.cli(['export', '--since', 'yesterday-ish']), says: /--since/ });
  add({ code: 2, command: 'export', situation: 'an unknown --direction', run: () => world.cli(['export', '--direction', 'sideways']), says: /^cosell: option '--direction <dir>' argument 'sideways' is invalid\. It must be one of: inbound, outbound\.$/m });
  add({ code: 2, command: 'export', situation: 'an unknown --status', run: () => world.cli(['export', '--status', 'bogus']), says: /^cosell: option '--status <status>' argument 'bogus' is invalid\. It must be one of: New, Active, Closed\.$/m });
  add({
    code: 2,
    command: 'export',
    situation: '--out in a folder that does not exist',
    run: leavesNo(join('absent-folder', 'x.csv'), (file) => ['export', '--out', file]),
    says: /^cosell: --out: cannot write .*absent-folder\/x\.csv: the folder .*absent-folder does not exist$/m,
  });
  add({ code: 2, command: 'import', situation: 'a file that does not exist', run: () => world.cli(['import', join(scratch, 'no-such.csv')]), says: /^cosell: .*no-such\.csv: no such file$/m });
  add({ code: 2, command: 'import', situation: 'a folder', run: () => world.cli(['import', scratch]), says: /^cosell: .*cosell-exit-\w+: is a folder, not a CSV file$/m });
  add({
    code: 2,
    command: 'import',
    situation: '--dry-run with --results in a folder that does not exist',
    run: importsNothing(() => ['import', importFixture, '--dry-run', '--results', join(scratch, 'absent-folder', 'r.csv')]),
    says: /^cosell: --results: cannot write .*absent-folder\/r\.csv: the folder .*absent-folder does not exist$/m,
  });
  add({
    code: 2,
    command: 'import',
    situation: '--results that is a folder',
    run: importsNothing(() => ['import', importFixture, '--results', scratch]),
    says: /^cosell: --results: cannot write .*cosell-exit-\w+: it is a folder$/m,
  });
  add({
    code: 2,
    command: 'import',
    situation: '--results naming the CSV file itself',
    run: () => {
      const copy = join(scratch, 'own-results.csv');
      writeFileSync(copy, readFileSync(importFixture));
      return importsNothing(() => ['import', copy, '--results', copy])();
    },
    says: /^cosell: --results: .*own-results\.csv is the CSV file being imported; choose another file$/m,
  });
  add({ code: 2, command: 'sandbox', situation: 'an unknown CRM', run: () => cosell(['sandbox', '--crm', 'hubspot']), says: /--crm/ });
  add({ code: 2, command: 'explain', situation: 'an ID nothing has', run: () => world.cli(['explain', 'no-such-id']), says: /ID: no CRM record and no referral has the ID "no-such-id"/ });
  add({ code: 2, command: 'link', situation: 'a record and a referral that do not exist', run: () => world.cli(['link', '006000000000000AAA', 'no-such-referral']) });
  add({ code: 2, command: 'unlock', situation: 'an extra argument', run: () => world.cli(['unlock', 'now']), says: /too many arguments/ });

  // 3 — credentials refused.
  add({ code: 3, command: 'setup', situation: 'Salesforce refuses the JWT key', run: () => withConfig(wrongSalesforceKey(), ['setup', 'salesforce']), says: /refused the connector's credentials/ });
  add({ code: 3, command: 'sync', situation: 'Salesforce refuses the JWT key', run: () => withConfig(wrongSalesforceKey(), ['sync', '--once']), says: /refused the connector's credentials/ });
  add({
    code: 3,
    command: 'import',
    situation: 'no Partner Center sign-in',
    run: () =>
      withConfig(world.configVariant('import-no-sign-in', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, tokenCachePath: join(scratch, 'nothing.cache') } })), [
        'import', fileURLToPath(new URL('../fixtures/csv/european-excel.csv', import.meta.url)), '--results', join(scratch, 'r.csv'),
      ]),
    says: /cosell login partner-center/,
  });
  add({
    code: 3,
    command: 'export',
    situation: 'no Partner Center sign-in',
    run: () => withConfig(world.configVariant('no-sign-in', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, tokenCachePath: join(scratch, 'empty.cache') } })), ['export']),
    says: /cosell login partner-center/,
  });
  add({
    code: 3,
    command: 'run',
    situation: 'its run is refused sign-in, then SIGTERM',
    run: async () => {
      const run = startCosell(['-c', wrongSalesforceKey(), 'run', '--interval', '5']);
      await waitFor(() => /^FAILED /m.test(run.output().stdout), 30_000, 'the first run');
      run.child.kill('SIGTERM');
      return run.done;
    },
    says: /refused the connector's credentials[\s\S]*Stopped\./,
  });

  // 4 — stopped early.
  add({
    code: 4,
    command: 'sync',
    situation: 'a Partner Center call budget of 1',
    run: () => withConfig(world.configVariant('budget', (c) => ({ ...c, sync: { ...c.sync, partnerCenterCallBudget: 1 } })), ['sync', '--once']),
    says: /request budget/,
  });

  // 5 — not ready.
  add({
    code: 5,
    command: 'check',
    situation: 'no Partner Center sign-in',
    run: () => withConfig(world.configVariant('check-no-sign-in', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, tokenCachePath: join(scratch, 'none.cache') } })), ['check']),
    says: /FAIL +Partner Center sign-in/,
  });
  add({
    code: 5,
    command: 'check',
    situation: 'Salesforce refuses the JWT key (the item shows FAIL, the other items still run)',
    run: () => withConfig(wrongSalesforceKey(), ['check']),
    says: /FAIL +Sign-in +Salesforce refused the connector's credentials[\s\S]*ok +Partner Center sign-in/,
  });
  add({
    code: 5,
    command: 'sync',
    situation: 'before `cosell setup salesforce` (the connector\'s fields do not exist)',
    run: async () => {
      const bare = await startCliWorld('salesforce', { setup: false });
      try {
        return await bare.cli(['sync', '--once']);
      } finally {
        await bare.close();
      }
    },
    says: /Salesforce is not set up for the connector yet: Opportunity\.Cosell_\w+__c does not exist.*cosell setup salesforce/,
  });

  // 6 — locked.
  add({ code: 6, command: 'sync', situation: 'a live sync holds the lock', run: async () => (holdLock(), world.cli(['sync', '--once'])), says: /another sync holds the lock: exit-code-test/ });
  add({ code: 6, command: 'unlock', situation: 'a live sync holds the lock', run: async () => (holdLock(), world.cli(['unlock'])), says: /live sync/ });
  add({ code: 6, command: 'state rebuild', situation: 'a live sync holds the lock', run: async () => (holdLock(), world.cli(['state', 'rebuild'])), says: /a sync is running/ });

  // 7 — parked.
  add({
    code: 7,
    command: 'sync',
    situation: 'a deal Partner Center would refuse (no solution)',
    run: async () => {
      await world.seller.createDeal(dealSpec('Parked for exit code', { solutions: [] }));
      return world.cli(['sync', '--once']);
    },
    says: /1 parked[\s\S]*cosell status" lists each/,
  });
  add({
    code: 7,
    command: 'sync',
    situation: 'the next run, with a record an earlier run parked still parked (a scheduler keeps seeing it)',
    run: async () => {
      await world.seller.createDeal(dealSpec('Still parked next run', { solutions: [] }));
      const first = await world.cli(['sync', '--once']);
      assert.equal(first.code, 7, first.stderr);
      return world.cli(['sync', '--once']);
    },
    says: /0 parked[\s\S]*records are parked \(could not sync, in this run or an earlier one\)/,
  });

  // 8 — state database unusable.
  add({ code: 8, command: 'sync', situation: 'a damaged state database', run: () => withConfig(damagedStore(), ['sync', '--once']), says: /damaged\.sqlite is damaged .*"cosell state rebuild"/ });
  add({ code: 8, command: 'run', situation: 'a damaged state database', run: () => withConfig(damagedStore(), ['run', '--interval', '1']), says: /is damaged/ });
  add({ code: 8, command: 'status', situation: 'no state database yet', run: () => withConfig(storeAt('no-store', join(scratch, 'never.sqlite')), ['status']), says: /no state database at .*never\.sqlite/ });
  add({ code: 8, command: 'conflicts', situation: 'a damaged state database', run: () => withConfig(damagedStore(), ['conflicts', 'list']), says: /is damaged/ });
  add({ code: 8, command: 'state', situation: 'check of a damaged state database', run: () => withConfig(damagedStore(), ['state', 'check']), says: /damaged|is not a database/ });

  for (const c of cases) {
    it(`${c.command} exits ${c.code}: ${c.situation}`, async () => {
      const result = await c.run();
      const output = `${result.stdout}\n${result.stderr}`;
      assert.equal(result.code, c.code, output.slice(0, 1500));
      if (c.says) assert.match(output, c.says);
      if (c.code !== 0) assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace without --debug');
    });
  }

  it('has a case for every (code, command) pair the README documents', () => {
    const pairs = documentedPairs();
    assert.deepEqual(pairs.map((p) => p.code), Object.values(EXIT), 'the README lists exactly the codes EXIT defines, in order');
    const missing = pairs.flatMap(({ code, commands }) => {
      // "every command": at least eight different commands are shown to end with it.
      if (commands === 'all') return new Set(cases.filter((c) => c.code === code).map((c) => c.command)).size >= 8 ? [] : [`${code}: every command`];
      return commands.filter((cmd) => !cases.some((c) => c.code === code && c.command === cmd)).map((cmd) => `${code}: ${cmd}`);
    });
    assert.deepEqual(missing, []);
  });

  it('a pipe closed early (cosell status | head -c 1) ends quietly', async () => {
    const bin = JSON.stringify(COSELL_BIN);
    const result = await new Promise<{ stderr: string }>((resolve) => {
      const shell = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} ${bin} -c ${JSON.stringify(world.configFile)} status | head -c 1 > /dev/null`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      shell.on('close', () => resolve({ stderr }));
    });
    assert.doesNotMatch(result.stderr, /EPIPE|Unhandled 'error' event/);
  });
});
