/**
 * The README's exit-code table, codes 3 (credentials refused) to 8 (state database unusable), command by
 * command, through the real binary against the sandboxes. Each case sets up the situation an admin would
 * meet and checks the code and that the message says why. A last test reads the README's table and fails
 * if a (code, command) pair it documents for these codes has no case here; codes 0 to 2 are in
 * exit-codes-done-usage.test.ts.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { registrationClientFor } from '../../core/serve/registration.js';
import { startCliWorld, startCosell, waitFor } from '../helpers/cli.js';
import { CODE_GROUPS, exitCodeWorld, itExits, undocumentedCases, type ExitCase } from '../helpers/exit-codes.js';

describe('exit codes 3–8, as the README documents them (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  const x = exitCodeWorld();
  const { withConfig, importFixture } = x;
  const cases: ExitCase[] = [];
  const add = (c: ExitCase) => cases.push(c);

  const wrongSalesforceKey = () => {
    const pem = join(x.scratch, 'not-the-registered-key.pem');
    writeFileSync(pem, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    return x.world.configVariant('wrong-key', (c) => {
      const crm = c.crm as unknown as { salesforce: { auth: { privateKey: string } } };
      crm.salesforce.auth.privateKey = `file:${pem}`;
      return c;
    });
  };
  const storeAt = (name: string, file: string) => x.world.configVariant(name, (c) => ({ ...c, store: { path: file } }));
  const damagedStore = () => {
    const file = join(x.scratch, 'damaged.sqlite');
    writeFileSync(file, 'this is not a SQLite database, whatever its name says'.repeat(100));
    return storeAt('damaged', file);
  };
  const holdLock = () => x.world.runtime.store.acquireLock('exit-code-test', Date.now(), 60_000, { pid: process.pid, host: hostname() });

  // 3 — credentials refused.
  add({ code: 3, command: 'setup', situation: 'Salesforce refuses the JWT key', run: () => withConfig(wrongSalesforceKey(), ['setup', 'salesforce']), says: /refused the connector's credentials/ });
  add({ code: 3, command: 'sync', situation: 'Salesforce refuses the JWT key', run: () => withConfig(wrongSalesforceKey(), ['sync', '--once']), says: /refused the connector's credentials/ });
  add({
    code: 3,
    command: 'import',
    situation: 'no Partner Center sign-in',
    run: () =>
      withConfig(x.world.configVariant('import-no-sign-in', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, tokenCachePath: join(x.scratch, 'nothing.cache') } })), [
        'import', importFixture, '--results', join(x.scratch, 'r.csv'),
      ]),
    says: /cosell login partner-center/,
  });
  add({
    code: 3,
    command: 'export',
    situation: 'no Partner Center sign-in',
    run: () => withConfig(x.world.configVariant('no-sign-in', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, tokenCachePath: join(x.scratch, 'empty.cache') } })), ['export']),
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
    run: () => withConfig(x.world.configVariant('budget', (c) => ({ ...c, sync: { ...c.sync, partnerCenterCallBudget: 1 } })), ['sync', '--once']),
    says: /request budget/,
  });

  // 5 — not ready.
  add({
    code: 5,
    command: 'check',
    situation: 'no Partner Center sign-in',
    run: () => withConfig(x.world.configVariant('check-no-sign-in', (c) => ({ ...c, partnerCenter: { ...c.partnerCenter, tokenCachePath: join(x.scratch, 'none.cache') } })), ['check']),
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
    command: 'webhooks status',
    situation: 'the registered URL does not answer (a monitoring check must see it)',
    run: async () => {
      const registration = registrationClientFor(x.world.runtime.config);
      await registration.register('http://127.0.0.1:9/webhooks/partner-center', false);
      try {
        return await x.world.cli(['webhooks', 'status']);
      } finally {
        await registration.unregister();
      }
    },
    says: /does not answer a health check[\s\S]*^Not ready: .*cosell webhooks unregister/m,
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
  add({ code: 6, command: 'sync', situation: 'a live sync holds the lock', run: async () => (holdLock(), x.world.cli(['sync', '--once'])), says: /another sync holds the lock: exit-code-test/ });
  add({ code: 6, command: 'unlock', situation: 'a live sync holds the lock', run: async () => (holdLock(), x.world.cli(['unlock'])), says: /live sync/ });
  add({ code: 6, command: 'state rebuild', situation: 'a live sync holds the lock', run: async () => (holdLock(), x.world.cli(['state', 'rebuild'])), says: /a sync is running/ });

  // 7 — parked.
  add({
    code: 7,
    command: 'sync',
    situation: 'a deal Partner Center would refuse (no solution)',
    run: async () => {
      await x.world.seller.createDeal(dealSpec('Parked for exit code', { solutions: [] }));
      return x.world.cli(['sync', '--once']);
    },
    says: /1 parked[\s\S]*cosell status" lists each/,
  });
  add({
    code: 7,
    command: 'sync',
    situation: 'the next run, with a record an earlier run parked still parked (a scheduler keeps seeing it)',
    run: async () => {
      await x.world.seller.createDeal(dealSpec('Still parked next run', { solutions: [] }));
      const first = await x.world.cli(['sync', '--once']);
      assert.equal(first.code, 7, first.stderr);
      return x.world.cli(['sync', '--once']);
    },
    says: /0 parked[\s\S]*records are parked \(could not sync, in this run or an earlier one\)/,
  });

  // 8 — state database unusable.
  add({ code: 8, command: 'sync', situation: 'a damaged state database', run: () => withConfig(damagedStore(), ['sync', '--once']), says: /damaged\.sqlite is damaged .*"cosell state rebuild"/ });
  add({ code: 8, command: 'run', situation: 'a damaged state database', run: () => withConfig(damagedStore(), ['run', '--interval', '1']), says: /is damaged/ });
  add({ code: 8, command: 'status', situation: 'no state database yet', run: () => withConfig(storeAt('no-store', join(x.scratch, 'never.sqlite')), ['status']), says: /no state database at .*never\.sqlite/ });
  add({ code: 8, command: 'conflicts', situation: 'a damaged state database', run: () => withConfig(damagedStore(), ['conflicts', 'list']), says: /is damaged/ });
  add({ code: 8, command: 'state', situation: 'check of a damaged state database', run: () => withConfig(damagedStore(), ['state', 'check']), says: /damaged|is not a database/ });

  itExits(cases);

  it('has a case for every (code, command) pair the README documents for codes 3 to 8', () => {
    assert.deepEqual(undocumentedCases(cases, CODE_GROUPS[1]!), []);
  });
});
