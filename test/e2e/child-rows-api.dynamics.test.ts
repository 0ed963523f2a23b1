/**
 * Issue 12, item 4 (Dynamics 365): a team member, solution or partner-invitation row added or removed
 * through the Dataverse Web API does not touch the opportunity (its `modifiedon` and version stay), so
 * the opportunity's change tracking never lists it. The connector tracks changes on its three child tables
 * too; a deleted row (`$deletedEntity`, ID only) is traced to its opportunity through the related-row
 * index. The next sync carries each change to Partner Center.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OTHER_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { webApi } from '../helpers/dataverse-web-api.js';
import { moveFeedPast, referralOf } from './lifecycle.suite.js';

const P = 'cosell_';
const ROBIN = { firstName: 'Robin', lastName: 'Presales', phone: '+1 425 555 0102', email: 'robin.presales@partner.example' };

const childRows = (world: World, table: string, crmId: string) =>
  [...(world.set.dataverse.store.table(`${P}${table}`)?.rows.values() ?? [])].filter((r) => r[`_${P}opportunityid_value`] === crmId);
const opportunityVersion = (world: World, crmId: string) => world.set.dataverse.store.table('opportunity')!.rows.get(crmId)!.versionnumber;

describe('child rows changed through the Dataverse Web API alone (Dynamics 365, end to end)', function () {
  this.timeout(120_000);

  it('item 4: a removed team member and solution, and an added team member, reach Partner Center with the opportunity untouched', async () => {
    const world = await startWorld('dynamics');
    try {
      const crmId = await world.seller.createDeal(dealSpec('API child rows', {
        team: [dealSpec('x').team[0]!, ROBIN],
        solutions: [{ id: 'SOL-1234-PQRS', kind: 'own' }, { id: 'SOL-5678-WXYZ', kind: 'own' }],
      }));
      await world.syncToQuiet();
      const { referralId } = await world.seller.read(crmId);
      assert.ok(referralId, 'the deal reached Partner Center');
      assert.equal(referralOf(world, referralId).team?.length, 2);
      // Past the feed's overlap: a later deal moves every watermark on.
      await moveFeedPast(world);

      const version = opportunityVersion(world, crmId);
      const robin = childRows(world, 'teammember', crmId).find((r) => r[`${P}email`] === ROBIN.email)!;
      const solution = childRows(world, 'solution', crmId).find((r) => r[`${P}pcsolutionid`] === 'SOL-5678-WXYZ')!;
      await webApi(world, 'DELETE', `${P}teammembers(${String(robin[`${P}teammemberid`])})`);
      await webApi(world, 'DELETE', `${P}solutions(${String(solution[`${P}solutionid`])})`);
      assert.equal(opportunityVersion(world, crmId), version, 'the opportunity itself was not touched');

      await world.syncToQuiet();
      assert.deepEqual((referralOf(world, referralId).team ?? []).map((m) => m.email), ['sam.seller@partner.example']);
      assert.deepEqual(referralOf(world, referralId).details?.requirements?.solutions?.map((s) => s.id), ['SOL-1234-PQRS']);
      assert.equal((await world.seller.read(crmId)).syncState, 'synced');

      const synced = opportunityVersion(world, crmId);
      await webApi(world, 'POST', `${P}teammembers`, {
        [`${P}name`]: 'Kim Architect', [`${P}firstname`]: 'Kim', [`${P}lastname`]: 'Architect', [`${P}email`]: 'kim.architect@partner.example', [`${P}phone`]: '+1 425 555 0103',
        [`${P}opportunityid@odata.bind`]: `/opportunities(${crmId})`,
      });
      assert.equal(opportunityVersion(world, crmId), synced, 'the opportunity itself was not touched');
      await world.syncToQuiet();
      assert.deepEqual((referralOf(world, referralId).team ?? []).map((m) => m.email).sort(), ['kim.architect@partner.example', 'sam.seller@partner.example']);
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    } finally {
      await world.close();
    }
  });

  it('item 4: an invitation row added through the API parks the deal with its reason; removing it releases the deal', async () => {
    const world = await startWorld('dynamics');
    try {
      const crmId = await world.seller.createDeal(dealSpec('API invitation rows'));
      await world.syncToQuiet();
      const { referralId } = await world.seller.read(crmId);
      assert.ok(referralId);
      await moveFeedPast(world);
      const version = opportunityVersion(world, crmId);
      const invitationId = '0b5e7000-0000-4000-8000-0000000000a1';
      await webApi(world, 'POST', `${P}partnerinvitations`, {
        [`${P}partnerinvitationid`]: invitationId, [`${P}partnerid`]: OTHER_PARTNER_ORG, [`${P}solutionids`]: 'SOL-NOT-ON-DEAL', [`${P}helpneeded`]: 'Delivery',
        [`${P}opportunityid@odata.bind`]: `/opportunities(${crmId})`,
      });
      assert.equal(opportunityVersion(world, crmId), version, 'the opportunity itself was not touched');
      await world.syncToQuiet();
      const parked = await world.seller.read(crmId);
      assert.equal(parked.syncState, 'error', 'the new invitation row was read');
      assert.match(parked.syncMessage ?? '', /SOL-NOT-ON-DEAL/);
      await moveFeedPast(world);

      await webApi(world, 'DELETE', `${P}partnerinvitations(${invitationId})`);
      await world.syncToQuiet();
      const released = await world.seller.read(crmId);
      assert.equal(released.syncState, 'synced', `the removed invitation row was seen: ${released.syncMessage ?? ''}`);
      assert.deepEqual(referralOf(world, referralId).partnerInvitations ?? [], []);
      assert.equal((await world.sync()).writes, 0, 'a further sync writes nothing');
    } finally {
      await world.close();
    }
  });
});
