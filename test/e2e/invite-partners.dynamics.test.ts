/**
 * Every partner invited to a Dynamics 365 deal shows on its record. A partner Partner Center invited that the
 * record names nowhere (invited in Partner Center's form, or an invitation row the seller deleted: an invitation
 * cannot be withdrawn) gets a Co-sell Partner Invitation row of its own; the seller's "Invite Partner" column
 * takes several partners separated by ";". Until 2026-12-06 the connector wrote the first such partner into
 * that one column (100 characters: two partner IDs) and the others showed nowhere.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OTHER_PARTNER_ORG, OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const SECOND_PARTNER = 'b1ce0000-0000-4000-8000-00000000b1ce';
const THIRD_PARTNER = 'c1a55000-0000-4000-8000-00000000c1a5';
const MINUTE = 60_000;

/** The partners the record names: its invitation rows and its Invite Partner column. */
function partnersOnRecord(world: World, crmId: string): string[] {
  const rows = [...(world.set.dataverse.store.table('cosell_partnerinvitation')?.rows.values() ?? [])].filter((r) => r._cosell_opportunityid_value === crmId).map((r) => String(r.cosell_partnerid));
  const column = String(world.set.dataverse.store.table('opportunity')!.rows.get(crmId)!.cosell_invitepartnerid ?? '').split(';').map((s) => s.trim()).filter(Boolean);
  return [...rows, ...column].sort();
}
const invitedInPartnerCenter = (world: World, referralId: string) => (referralOf(world, referralId).partnerInvitations ?? []).map((i) => i.organizationId).sort();

/** One partner invited in Partner Center's own form, bringing the deal's solution. */
const invitation = (organizationId: string) => ({ organizationId, dealValue: 1_000, currency: 'USD', closingDateTime: '2027-03-31T00:00:00Z', solutions: [{ id: 'SOL-1234-PQRS' }] });

async function syncedDeal(world: World, name: string): Promise<{ crmId: string; referralId: string }> {
  const crmId = await world.seller.createDeal(dealSpec(name));
  await world.syncToQuiet();
  const { referralId } = await world.seller.read(crmId);
  assert.ok(referralId);
  world.set.clock.advance(MINUTE);
  return { crmId, referralId };
}

describe('Dynamics 365 "Invite Partner" with several partners (end to end)', function () {
  this.timeout(120_000);
  const each = worldPerTest('dynamics');

  it('partners invited in Partner Center all show on the record, and a further sync writes nothing', async () => {
    const { world } = each;
    const { crmId, referralId } = await syncedDeal(world, 'Invited in Partner Center');
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({
      ok: true,
      value: { ...json, partnerInvitations: [...(json.partnerInvitations ?? []), invitation(OTHER_PARTNER_ORG), invitation(SECOND_PARTNER)] },
    })));
    await world.syncToQuiet();
    assert.deepEqual(partnersOnRecord(world, crmId), [OTHER_PARTNER_ORG, SECOND_PARTNER].sort());
    const row = [...world.set.dataverse.store.table('cosell_partnerinvitation')!.rows.values()].find((r) => r.cosell_partnerid === SECOND_PARTNER)!;
    assert.deepEqual([row.cosell_value, row.cosell_currency, String(row.cosell_closedate).slice(0, 10)], [1_000, 'USD', '2027-03-31'], 'with the details Partner Center holds');
    assert.equal((await world.seller.read(crmId)).syncState, 'synced');
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    assert.deepEqual(invitedInPartnerCenter(world, referralId), [OTHER_PARTNER_ORG, SECOND_PARTNER].sort());
  });

  it('two invitation rows the seller deletes both come back, and the message names both', async () => {
    const { world } = each;
    const { crmId, referralId } = await syncedDeal(world, 'Two rows deleted');
    for (const partnerId of [OTHER_PARTNER_ORG, SECOND_PARTNER]) {
      await world.seller.requestInvitation(crmId, { partnerId, teamEmails: [], solutionIds: [] });
    }
    await world.syncToQuiet();
    assert.deepEqual(invitedInPartnerCenter(world, referralId), [OTHER_PARTNER_ORG, SECOND_PARTNER].sort(), (await world.seller.read(crmId)).syncMessage);

    world.set.clock.advance(MINUTE);
    await world.seller.deleteInvitation(crmId, OTHER_PARTNER_ORG);
    await world.seller.deleteInvitation(crmId, SECOND_PARTNER);
    await world.syncToQuiet();
    assert.deepEqual(invitedInPartnerCenter(world, referralId), [OTHER_PARTNER_ORG, SECOND_PARTNER].sort(), 'Partner Center keeps both');
    assert.deepEqual(partnersOnRecord(world, crmId), [OTHER_PARTNER_ORG, SECOND_PARTNER].sort());
    const view = await world.seller.read(crmId);
    assert.equal(view.syncState, 'synced');
    assert.match(view.syncMessage ?? '', new RegExp(OTHER_PARTNER_ORG));
    assert.match(view.syncMessage ?? '', new RegExp(SECOND_PARTNER));
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });

  it('several partners typed into Invite Partner, separated by ";", are all invited', async () => {
    const { world } = each;
    const { crmId, referralId } = await syncedDeal(world, 'Typed list');
    await world.seller.invitePartner(crmId, `${OTHER_PARTNER_ORG}; ${SECOND_PARTNER}`);
    await world.syncToQuiet();
    assert.deepEqual(invitedInPartnerCenter(world, referralId), [OTHER_PARTNER_ORG, SECOND_PARTNER].sort());
    assert.deepEqual(partnersOnRecord(world, crmId), [OTHER_PARTNER_ORG, SECOND_PARTNER].sort(), 'each named once: no row repeats the column');
    assert.equal((await world.seller.read(crmId)).syncState, 'synced');
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });

  it('a row names one partner and Partner Center invited two more: the record names all three, once each', async () => {
    const { world } = each;
    const { crmId, referralId } = await syncedDeal(world, 'Row and Partner Center');
    await world.seller.requestInvitation(crmId, { partnerId: OTHER_PARTNER_ORG, teamEmails: [], solutionIds: [] });
    await world.syncToQuiet();
    world.set.clock.advance(MINUTE);
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({
      ok: true,
      value: { ...json, partnerInvitations: [...(json.partnerInvitations ?? []), invitation(SECOND_PARTNER), invitation(THIRD_PARTNER)] },
    })));
    await world.syncToQuiet();
    assert.deepEqual(partnersOnRecord(world, crmId), [OTHER_PARTNER_ORG, SECOND_PARTNER, THIRD_PARTNER].sort());
    assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
  });
});
