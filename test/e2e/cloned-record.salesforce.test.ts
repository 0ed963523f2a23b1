/**
 * A seller clones a linked opportunity in Salesforce (the Clone button copies every field it can,
 * the connector's write-back fields included). The referral ID is unique, so Salesforce refuses a copy
 * that keeps it, and the seller empties it; the copy still says Inbound, Accepted, the engagement ID and
 * Microsoft's seller in the outside team. Seen in the walk: the copy of an inbound deal was read as an
 * inbound deal without a referral, parked with "marked Co-sell deal but its answers make it a
 * Partner-led deal", a rule about fields the seller never touched. A record with no referral ID is a new
 * deal of this company: the copy is a new outbound deal, and the original keeps its link.
 */
import assert from 'node:assert/strict';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { insertRaw } from '../../sandbox/salesforce/seed.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

/** What Salesforce's Clone does not copy: the record's identity and what the platform computes. */
const NOT_COPIED = ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsClosed', 'IsWon', 'ForecastCategoryName'];

describe('a cloned linked opportunity, end to end on Salesforce', function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld('salesforce');
  });
  afterEach(async () => world.close());

  it('the copy of an accepted inbound deal (referral ID emptied) becomes a new outbound deal; the original keeps its link', async () => {
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Litware SAP on Azure' } }));
    await world.syncToQuiet();
    const [original] = await world.seller.recordsForReferral(sent.id);
    assert.ok(original);
    await world.seller.accept(original);
    await world.syncToQuiet();

    const store = world.set.salesforce.store;
    const source = store.get('Opportunity', original)!;
    const copy = Object.fromEntries(Object.entries(source).filter(([k]) => !NOT_COPIED.includes(k)));
    assert.equal(copy[F.direction], 'Inbound', 'the clone carries the write-back fields');
    const clone = insertRaw(store, 'Opportunity', { ...copy, Name: 'Litware SAP on Azure, phase 2', [F.referralId]: null }, undefined, String(source.OwnerId));
    const cloneId = String(clone.Id);
    // What the Clone button leaves behind: the related lists. The seller adds the team and a solution.
    await world.seller.addTeamMember(cloneId, { firstName: 'Ava', lastName: 'Garcia', email: 'ava.garcia@contoso-partner.example', phone: '+1 425 555 0100' });
    await world.seller.addSolution(cloneId, { id: 'SOL-Microsoft365', kind: 'microsoft' });
    const reports = await world.syncToQuiet();
    assert.equal(reports.at(-1)!.writes, 0, 'the last sync writes nothing');

    const view = await world.seller.read(cloneId);
    assert.equal(view.syncState, 'synced', `the copy syncs: ${view.syncMessage ?? ''}`);
    assert.ok(view.referralId && view.referralId !== sent.id, 'the copy has a referral of its own');
    const created = referralOf(world, view.referralId);
    assert.equal(created.direction, 'Outgoing');
    assert.equal(created.name, 'Litware SAP on Azure, phase 2');
    assert.ok(!(created.team ?? []).some((m) => m.email === 'morgan@microsoft.example'), "Microsoft's seller on the original referral is not put on the new deal's team");

    assert.equal(store.get('Opportunity', cloneId)![F.outsideTeam], null, "the copied outside team is emptied once the copy has its own referral");
    assert.equal(store.get('Opportunity', cloneId)![F.engagementId], created.engagementId);
    assert.deepEqual(await world.seller.recordsForReferral(sent.id), [original], 'the original referral keeps its one record');
    assert.equal(world.runtime.store.getLinkByReferralId(sent.id)!.crmId, original);
    assert.equal(referralOf(world, sent.id).externalReferenceId, original);
    assert.equal(referralOf(world, sent.id).name, 'Litware SAP on Azure');
    assert.equal((await world.seller.read(original)).syncState, 'synced');
  });
});
