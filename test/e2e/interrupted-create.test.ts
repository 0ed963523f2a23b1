/**
 * A real crash inside a Salesforce create: the opportunity of an inbound referral is saved, then the
 * process is killed (SIGKILL) before the rows a create adds after it — the primary contact role and the
 * solutions. The next run must finish that create: the opportunity gets its contact role and solutions,
 * and Partner Center's referral keeps its own (before, the half-made opportunity was linked as it was,
 * and its missing solutions were sent to Partner Center as a removal).
 *
 * Salesforce only: a Dataverse create is one atomic change set, so there is no such moment there (the
 * kill between create and write-back is covered for both CRMs by crash.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { F, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const BIN = fileURLToPath(new URL('../../bin/cosell.js', import.meta.url));

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a sync killed inside a Salesforce create, after the opportunity and before its solutions', function () {
  this.timeout(120_000);
  let world: World;
  before(async () => {
    world = await startWorld('salesforce');
  });
  after(async () => world?.close());

  it('is finished by the next run: contact role and solutions added, Partner Center untouched, no duplicate', async () => {
    const sf = world.set.salesforce.store;
    // A first referral for the same customer: its account and contact exist, so the next create posts
    // nothing before the opportunity, and its first POST after it is the contact role.
    unwrap(world.microsoft.sendReferral({ deal: { dealName: 'First Woodgrove deal' } }));
    await world.syncToQuiet();
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Interrupted Woodgrove deal' } }));
    const opportunity = () => sf.all('Opportunity').find((o) => o[F.referralId] === sent.id);
    const solutionsOf = (crmId: string) => sf.all(SOLUTION_OBJECT).filter((s) => s[SOLUTION_PARENT_FIELD] === crmId).map((s) => String(s[SOLUTION_FIELDS.solutionId]));
    const rolesOf = (crmId: string) => sf.all('OpportunityContactRole').filter((r) => r.OpportunityId === crmId);

    const configFile = join(world.runtime.config.store.path, '..', 'interrupted.config.json');
    writeFileSync(configFile, JSON.stringify({ ...world.runtime.config, logging: { level: 'silent' } }));
    world.set.salesforce.faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 60_000, match: 'POST .*composite/sobjects$' });
    const child = spawn(process.execPath, [BIN, 'sync', '--once', '-c', configFile], { stdio: 'ignore', env: process.env });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
    await waitFor(() => opportunity() !== undefined, 60_000);
    child.kill('SIGKILL');
    assert.equal(await exited, null, 'the child was killed, it did not finish');
    const crmId = String(opportunity()!.Id);
    assert.deepEqual([solutionsOf(crmId), rolesOf(crmId).length], [[], 0], 'killed after the opportunity, before its related rows');

    world.set.salesforce.faults.configure(undefined);
    const reports = await world.syncToQuiet();
    assert.equal(reports[reports.length - 1]!.writes, 0, 'a further sync writes nothing');
    assert.deepEqual(await world.seller.recordsForReferral(sent.id), [crmId], 'one opportunity for the referral');
    const expected = sent.details?.requirements?.solutions?.map((s) => s.id) ?? [];
    assert.ok(expected.length > 0);
    assert.deepEqual(solutionsOf(crmId), expected, 'the opportunity got its solutions');
    assert.equal(rolesOf(crmId).length, 1, 'and its primary contact role');
    assert.deepEqual(referralOf(world, sent.id).details?.requirements?.solutions?.map((s) => s.id), expected, "Partner Center's solutions are untouched");
    assert.equal(world.runtime.store.listIntents().length, 0, 'no create intent left behind');
  });
});
