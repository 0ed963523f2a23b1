/**
 * A seller's clone of a synced opportunity (Salesforce's Clone copies the connector's write-back fields; the
 * seller empties the unique referral ID) costs no more CRM calls than a deal the seller created. The deal read
 * from the clone is versioned on its own copy, write-backs emptied (assemble.ts `ownFields`); the writer's
 * check just before its save hashed the row as read, copies included, so the connector's first save to the
 * clone (the referral it created) was taken for someone else's change: the record went on the recheck list,
 * its new version was not stored, and the next run read it again in full (one call more, once per clone; not
 * for ever, as a reviewer suspected: the save empties the copies). Now the deal, the listing and the check
 * before and after a save take the one version of a row (assemble.ts `dealVersion`).
 */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import type { World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';

/** What Salesforce's Clone does not copy: the record's identity and what the platform computes. */
const NOT_COPIED = ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsClosed', 'IsWon', 'ForecastCategoryName'];
const RUNS = 5;
/** A daemon's interval and a little more: each run starts past the last one's margins. */
const BETWEEN_RUNS_MS = 6 * 60_000;

/** Each of `RUNS` runs' billed CRM calls and writes, and the recheck list the CRM cursor holds after it. */
async function runs(world: World): Promise<{ calls: number[]; writes: number[]; recheck: string[] }> {
  const out = { calls: [] as number[], writes: [] as number[], recheck: [] as string[] };
  for (let i = 0; i < RUNS; i += 1) {
    world.set.clock.advance(BETWEEN_RUNS_MS);
    const before = billedCalls(world.set.salesforce.counters.snapshot()).total;
    const report = await world.sync();
    assert.equal(report.outcome, 'ok');
    out.calls.push(billedCalls(world.set.salesforce.counters.snapshot()).total - before);
    out.writes.push(report.writes);
    const cursor = (await world.runtime.store.getCursor('crm')) as { recheck?: unknown } | undefined;
    if (typeof cursor?.recheck === 'string' && cursor.recheck) out.recheck.push(...cursor.recheck.split(','));
  }
  return out;
}

/** A seller's team member and solution: what a deal needs before it is shared (the Clone leaves related lists behind). */
async function completeDeal(world: World, crmId: string): Promise<void> {
  await world.seller.addTeamMember(crmId, { firstName: 'Ava', lastName: 'Garcia', email: 'ava.garcia@contoso-partner.example', phone: '+1 425 555 0100' });
  await world.seller.addSolution(crmId, { id: 'SOL-Microsoft365', kind: 'microsoft' });
}

describe('a cloned synced opportunity costs the CRM calls a new deal costs (Salesforce, end to end)', function () {
  this.timeout(120_000);
  const each = worldPerTest('salesforce');

  it('after the referral is created for it, the clone is not read again: one call a run, as for a new deal', async () => {
    const { world } = each;
    const original = await world.seller.createDeal(dealSpec('Original deal', { share: true }));
    await world.syncToQuiet();

    // A deal the seller creates: what the clone must cost.
    const fresh = await world.seller.createDeal(dealSpec('New deal', { share: true }));
    const baseline = await runs(world);
    assert.ok((await world.seller.read(fresh)).referralId, 'the new deal has its referral');

    const store = world.set.salesforce.store;
    const source = store.get('Opportunity', original)!;
    const copy = Object.fromEntries(Object.entries(source).filter(([k]) => !NOT_COPIED.includes(k)));
    assert.equal(copy[F.direction], 'Outbound', 'the clone carries the write-back fields');
    const cloneId = String(insertRaw(store, 'Opportunity', { ...copy, Name: 'Copied deal', [F.referralId]: null }, undefined, String(source.OwnerId)).Id);
    await completeDeal(world, cloneId);
    const cloned = await runs(world);

    const view = await world.seller.read(cloneId);
    assert.equal(view.syncState, 'synced', view.syncMessage);
    assert.ok(view.referralId && view.referralId !== (await world.seller.read(original)).referralId, 'the clone has a referral of its own');
    assert.deepEqual(cloned.writes, baseline.writes, 'the same writes as the new deal');
    assert.deepEqual(cloned.recheck, [], "the connector's save to the clone is not taken for another's change");
    assert.deepEqual(cloned.calls, baseline.calls, `CRM calls per run: clone ${cloned.calls.join(', ')}, new deal ${baseline.calls.join(', ')}`);
    assert.deepEqual(cloned.calls.slice(1), Array(RUNS - 1).fill(1), 'one call a run once the referral is created');
  });
});
