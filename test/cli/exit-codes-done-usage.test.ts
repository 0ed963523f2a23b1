/**
 * The README's exit-code table, codes 0 (done), 1 (failed) and 2 (config or usage), command by command,
 * through the real binary against the sandboxes. Each case sets up the situation an admin would meet and
 * checks the code and that the message says why. A last test reads the README's table and fails if a
 * (code, command) pair it documents for these codes has no case here; codes 3 to 8 are in
 * exit-codes-refusals.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { EXIT } from '../../core/cli/exit-codes.js';
import { COSELL_BIN, cosell } from '../helpers/cli.js';
import { CODE_GROUPS, documentedPairs, exitCodeWorld, itExits, undocumentedCases, type ExitCase } from '../helpers/exit-codes.js';

describe('exit codes 0–2, as the README documents them (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  const x = exitCodeWorld();
  const { withConfig, importFixture } = x;
  const cases: ExitCase[] = [];
  const add = (c: ExitCase) => cases.push(c);

  const missingEnvSecret = () =>
    x.world.configVariant('missing-env', (c) => {
      (c.crm as unknown as { salesforce: { auth: { privateKey: string } } }).salesforce.auth.privateKey = 'env:COSELL_TEST_UNSET_KEY';
      return c;
    });
  const partnerCenterWrites = () => Object.entries(x.world.set.partnerCenter.counters.snapshot()).filter(([k]) => /POST|PATCH/.test(k)).reduce((n, [, v]) => n + v, 0);
  /** Runs the command `args` makes for a scratch file `name`, then checks that the file was not left behind. */
  const leavesNo = (name: string, args: (file: string) => string[]) => async () => {
    const file = join(x.scratch, name);
    const result = await x.world.cli(args(file));
    assert.equal(existsSync(file), false, `${file} was left behind`);
    return result;
  };
  /** Runs an import whose results file cannot be written, then checks that nothing was sent or printed as done. */
  const importsNothing = (args: () => string[]) => async () => {
    const before = partnerCenterWrites();
    const result = await x.world.cli(args());
    assert.equal(partnerCenterWrites(), before, 'nothing was sent to Partner Center');
    assert.equal(result.stdout, '', 'no import summary: the import did not run');
    return result;
  };

  // 0 — done.
  add({ code: 0, command: 'init', situation: 'a new config file', run: () => cosell(['-c', join(x.scratch, 'new.yaml'), 'init']), says: /Wrote/ });
  add({ code: 0, command: 'setup', situation: 'set up again (safe to repeat)', run: () => x.world.cli(['setup', 'salesforce']), says: /already present/ });
  // The README runs `setup` before it exports the key that encrypts the Partner Center sign-in.
  add({ code: 0, command: 'setup', situation: 'before the Partner Center key is set (README order)', run: () => x.world.cli(['setup', 'salesforce'], { COSELL_TOKEN_KEY: '' }), says: /already present/ });
  add({ code: 0, command: 'check', situation: 'everything ready', run: () => x.world.cli(['check']), says: /are ready/ });
  add({ code: 0, command: 'check', situation: 'everything ready, as JSON', run: () => x.world.cli(['check', '--json']), says: /^\{\n {2}"ready": true,/ });
  add({ code: 0, command: 'conflicts', situation: 'none open, as JSON', run: () => x.world.cli(['conflicts', 'list', '--json']), says: /^\[\]\n/ });
  add({ code: 0, command: 'sync', situation: 'nothing wrong', run: () => x.world.cli(['sync', '--once']), says: /^OK /m });
  add({ code: 0, command: 'status', situation: 'a state database exists', run: () => x.world.cli(['status']), says: /Links:/ });
  add({ code: 0, command: 'conflicts', situation: 'none open', run: () => x.world.cli(['conflicts', 'list']), says: /No open conflicts/ });
  add({ code: 0, command: 'state', situation: 'a backup', run: () => x.world.cli(['state', 'backup', join(x.scratch, 'backup.sqlite')]), says: /integrity ok/ });
  add({ code: 0, command: 'unlock', situation: 'nobody holds the lock', run: () => x.world.cli(['unlock']), says: /Nobody holds/ });
  add({
    code: 0,
    command: 'explain',
    situation: 'a CRM record not yet synced',
    run: async () => x.world.cli(['explain', await x.world.seller.createDeal(dealSpec('Explained deal'))]),
    says: /not linked to a referral yet/,
  });
  add({ code: 0, command: 'export', situation: 'an export', run: () => x.world.cli(['export', '--out', join(x.scratch, 'export.csv')]), says: /Exported \d+ referral/ });
  add({ code: 0, command: 'export', situation: 'option values in any case', run: () => x.world.cli(['export', '--direction', 'Outbound', '--status', 'active', '--out', join(x.scratch, 'cased.csv')]), says: /Exported \d+ referral/ });
  // The results file's real default is described, not shown as `(default: "")`.
  add({ code: 0, command: 'import', situation: '--help', run: () => x.world.cli(['import', '--help']), says: /--results <file>\s+where to write the results file\s+\(by\s+default\s+next\s+to\s+the\s+CSV\s+file:\s+deals\.csv\s+gives\s+deals\.results\.csv,\s+or\s+deals\.dry-run\.results\.csv\s+with\s+--dry-run\)/ });

  // 1 — failed.
  const whilePartnerCenterFails = (args: () => string[]) => async () => {
    x.world.set.partnerCenter.faults.configure({ rate: 1, kinds: { 'server-error': 1 } });
    const noRetry = x.world.configVariant('no-retry', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, retry: { retries: 0, baseMs: 1, maxMs: 5, maxRetryAfterMs: 5 } } }));
    return withConfig(noRetry, args());
  };
  const failing = 'Partner Center answers 500 to everything (no retries in this config)';
  add({ code: 1, command: 'sync', situation: failing, run: whilePartnerCenterFails(() => ['sync', '--once']), says: /^FAILED /m });
  add({ code: 1, command: 'import', situation: failing, run: whilePartnerCenterFails(() => ['import', importFixture, '--results', join(x.scratch, 'failed.results.csv')]) });
  add({
    code: 1,
    command: 'export',
    situation: `${failing}; leaves no partial file`,
    run: async () => {
      const result = await whilePartnerCenterFails(() => ['export', '--out', join(x.scratch, 'failed.csv')])();
      assert.equal(existsSync(join(x.scratch, 'failed.csv')), false, 'the half-written export was removed');
      return result;
    },
  });

  // 2 — config or usage.
  add({ code: 2, command: 'init', situation: 'the file exists', run: () => x.world.cli(['init']), says: /already exists/ });
  add({ code: 2, command: 'init', situation: 'a config file in a folder that does not exist', run: () => cosell(['-c', join(x.scratch, 'absent-folder', 'new.yaml'), 'init']), says: /^cosell: --config: cannot write .*absent-folder\/new\.yaml: the folder .*absent-folder does not exist$/m });
  add({ code: 2, command: 'state', situation: 'a backup into a folder that does not exist', run: leavesNo(join('absent-folder', 'backup.sqlite'), (file) => ['state', 'backup', file]), says: /^cosell: FILE: cannot write .*absent-folder\/backup\.sqlite: the folder .*absent-folder does not exist$/m });
  add({ code: 2, command: 'setup', situation: 'the wrong CRM', run: () => x.world.cli(['setup', 'dynamics']), says: /not dynamics/ });
  add({ code: 2, command: 'check', situation: 'a missing env: secret', run: () => withConfig(missingEnvSecret(), ['check']), says: /privateKey: the environment variable COSELL_TEST_UNSET_KEY is not set/ });
  add({
    code: 2,
    command: 'check',
    situation: 'the Dynamics 365 template `cosell init` wrote, not filled in',
    run: async () => {
      const file = join(x.scratch, 'unfilled-dynamics.yaml');
      const init = await cosell(['-c', file, 'init', '--crm', 'dynamics']);
      assert.equal(init.code, 0, init.stderr);
      // The secret set, as an admin following the template would: only the <…> values are left.
      return cosell(['-c', file, 'check'], { env: { DATAVERSE_CLIENT_SECRET: 'the-secret-the-admin-exported' } });
    },
    says: /crm > dynamics > tenantId: still holds the placeholder "<directory \(tenant\) id>" that cosell init wrote/,
  });
  add({ code: 2, command: 'sync', situation: 'a missing env: secret', run: () => withConfig(missingEnvSecret(), ['sync', '--once']), says: /privateKey: the environment variable COSELL_TEST_UNSET_KEY/ });
  add({ code: 2, command: 'sync', situation: 'an unknown option', run: () => x.world.cli(['sync', '--bogus']), says: /unknown option '--bogus'/ });
  add({ code: 2, command: 'run', situation: '--interval 0', run: () => x.world.cli(['run', '--interval', '0']), says: /--interval/ });
  add({ code: 2, command: 'login', situation: 'an unknown service', run: () => x.world.cli(['login', 'salesforce']), says: /only "partner-center"/ });
  add({ code: 2, command: 'status', situation: 'no config file', run: () => cosell(['-c', join(x.scratch, 'absent.yaml'), 'status']), says: /absent\.yaml/ });
  add({ code: 2, command: 'conflicts', situation: 'a conflict that does not exist', run: () => x.world.cli(['conflicts', 'show', '999']), says: /no conflict 999/ });
  add({ code: 2, command: 'state', situation: 'a backup over an existing file', run: () => x.world.cli(['state', 'backup', x.world.configFile]), says: /already exists/ });
  add({ code: 2, command: 'export', situation: 'a --since that is not a date', run: () => x.world.cli(['export', '--since', 'yesterday-ish']), says: /--since/ });
  add({ code: 2, command: 'export', situation: 'an unknown --direction', run: () => x.world.cli(['export', '--direction', 'sideways']), says: /^cosell: option '--direction <dir>' argument 'sideways' is invalid\. It must be one of: inbound, outbound\.$/m });
  add({ code: 2, command: 'export', situation: 'an unknown --status', run: () => x.world.cli(['export', '--status', 'bogus']), says: /^cosell: option '--status <status>' argument 'bogus' is invalid\. It must be one of: New, Active, Closed\.$/m });
  add({
    code: 2,
    command: 'export',
    situation: '--out in a folder that does not exist',
    run: leavesNo(join('absent-folder', 'x.csv'), (file) => ['export', '--out', file]),
    says: /^cosell: --out: cannot write .*absent-folder\/x\.csv: the folder .*absent-folder does not exist$/m,
  });
  add({ code: 2, command: 'import', situation: 'a file that does not exist', run: () => x.world.cli(['import', join(x.scratch, 'no-such.csv')]), says: /^cosell: .*no-such\.csv: no such file$/m });
  add({ code: 2, command: 'import', situation: 'a folder', run: () => x.world.cli(['import', x.scratch]), says: /^cosell: .*cosell-exit-\w+: is a folder, not a CSV file$/m });
  add({
    code: 2,
    command: 'import',
    situation: '--dry-run with --results in a folder that does not exist',
    run: importsNothing(() => ['import', importFixture, '--dry-run', '--results', join(x.scratch, 'absent-folder', 'r.csv')]),
    says: /^cosell: --results: cannot write .*absent-folder\/r\.csv: the folder .*absent-folder does not exist$/m,
  });
  add({
    code: 2,
    command: 'import',
    situation: '--results that is a folder',
    run: importsNothing(() => ['import', importFixture, '--results', x.scratch]),
    says: /^cosell: --results: cannot write .*cosell-exit-\w+: it is a folder$/m,
  });
  add({
    code: 2,
    command: 'import',
    situation: '--results naming the CSV file itself',
    run: () => {
      const copy = join(x.scratch, 'own-results.csv');
      writeFileSync(copy, readFileSync(importFixture));
      return importsNothing(() => ['import', copy, '--results', copy])();
    },
    says: /^cosell: --results: .*own-results\.csv is the CSV file being imported; choose another file$/m,
  });
  add({ code: 2, command: 'sandbox', situation: 'an unknown CRM', run: () => cosell(['sandbox', '--crm', 'hubspot']), says: /--crm/ });
  add({ code: 2, command: 'explain', situation: 'an ID nothing has', run: () => x.world.cli(['explain', 'no-such-id']), says: /ID: no CRM record and no referral has the ID "no-such-id"/ });
  add({ code: 2, command: 'link', situation: 'a record and a referral that do not exist', run: () => x.world.cli(['link', '006000000000000AAA', 'no-such-referral']) });
  add({ code: 2, command: 'unlock', situation: 'an extra argument', run: () => x.world.cli(['unlock', 'now']), says: /too many arguments/ });

  itExits(cases);

  it('has a case for every (code, command) pair the README documents for codes 0 to 2', () => {
    assert.deepEqual(documentedPairs().map((p) => p.code), Object.values(EXIT), 'the README lists exactly the codes EXIT defines, in order');
    assert.deepEqual(CODE_GROUPS.flat(), Object.values(EXIT), 'every code is some suite\'s to cover');
    assert.deepEqual(undocumentedCases(cases, CODE_GROUPS[0]!), []);
  });

  it('a pipe closed early (cosell status | head -c 1) ends quietly', async () => {
    const bin = JSON.stringify(COSELL_BIN);
    const result = await new Promise<{ stderr: string }>((resolve) => {
      const shell = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} ${bin} -c ${JSON.stringify(x.world.configFile)} status | head -c 1 > /dev/null`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      shell.on('close', () => resolve({ stderr }));
    });
    assert.doesNotMatch(result.stderr, /EPIPE|Unhandled 'error' event/);
  });
});
