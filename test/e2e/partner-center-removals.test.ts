/**
 * What a Partner Center user removes from a linked referral reaches the CRM, end to end, both CRMs:
 * the customer contact (the CRM unlinks it from the deal: Salesforce deletes the primary contact role,
 * Dynamics 365 empties the opportunity's Contact; the Contact record itself stays, other deals use it),
 * a team member and a solution. The record says synced, and a further run writes nothing.
 *
 * Until 2026-12-06 a customer contact removed in Partner Center was "no opinion": the CRM kept its
 * contact on the deal while the record said synced. Dynamics 365 overwrote the linked Contact with a
 * replacing person's name and email, and dropped a contact added to a deal without one; Salesforce left the
 * Contact as it was when Partner Center edited the same person (a new phone), and sent the old phone back.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { StoredReferral } from '../../sandbox/partner-center/store.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const HOUR = 3_600_000;
const SOLUTIONS = [{ id: 'SOL-1234-PQRS', kind: 'own' as const }, { id: 'SOL-5678-WXYZ', kind: 'own' as const }];
const TEAM = [
  { firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam.seller@partner.example' },
  { firstName: 'Pat', lastName: 'Presales', phone: '+1 425 555 0102', email: 'pat.presales@partner.example' },
];

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`removals and contact changes made in Partner Center reach the CRM (${kind}, end to end)`, function () {
  this.timeout(120_000);
  let world: World;
  beforeEach(async () => {
    world = await startWorld(kind);
  });
  afterEach(async () => {
    await world.close();
  });

  async function linkedDeal(name: string): Promise<{ crmId: string; referralId: string; contactEmail: string }> {
    const crmId = await world.seller.createDeal(dealSpec(name, { solutions: SOLUTIONS, team: TEAM }));
    await world.syncToQuiet();
    const view = await world.seller.read(crmId);
    assert.ok(view.referralId && view.contactEmail, 'the deal is linked and has its contact');
    world.set.clock.advance(HOUR);
    return { crmId, referralId: view.referralId, contactEmail: view.contactEmail };
  }

  /** A colleague edits our referral in Partner Center's own UI. */
  const inPartnerCenter = (referralId: string, change: (json: StoredReferral) => void) =>
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => {
      change(json);
      return { ok: true, value: json };
    }));

  async function assertSettled(crmId: string): Promise<void> {
    const record = await world.seller.read(crmId);
    assert.equal(record.syncState, 'synced', record.syncMessage);
    assert.equal((await world.sync()).writes, 0, 'a further run writes nothing');
  }

  it('the customer contact removed in Partner Center is taken off the CRM deal; the contact itself stays', async () => {
    const { crmId, referralId, contactEmail } = await linkedDeal('Contact removed in Partner Center');
    inPartnerCenter(referralId, (json) => {
      json.customerProfile = { ...json.customerProfile!, team: [] };
    });
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).contactEmail, undefined, 'the deal has no customer contact any more');
    assert.ok(contactExists(world, contactEmail), 'the Contact record itself is kept (other deals may use it)');
    assert.equal(referralOf(world, referralId).customerProfile?.team?.length ?? 0, 0, 'Partner Center stays without one');
    await assertSettled(crmId);

    // Later a colleague adds the customer's new contact in Partner Center: the deal gets it.
    world.set.clock.advance(HOUR);
    inPartnerCenter(referralId, (json) => {
      json.customerProfile = { ...json.customerProfile!, team: [{ firstName: 'Dana', lastName: 'Newcontact', phoneNumber: '+1 206 555 0199', email: 'dana.newcontact@customer.example' }] };
    });
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).contactEmail, 'dana.newcontact@customer.example');
    await assertSettled(crmId);
  });

  it("the customer contact of Microsoft's inbound referral, removed in Partner Center once accepted, leaves the CRM deal", async () => {
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Inbound contact removed' } }));
    await world.syncToQuiet();
    const [crmId] = await world.seller.recordsForReferral(sent.id);
    assert.ok(crmId);
    await world.seller.accept(crmId);
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).contactEmail, 'wendy@woodgrove.example');
    world.set.clock.advance(HOUR);
    inPartnerCenter(sent.id, (json) => {
      json.customerProfile = { ...json.customerProfile!, team: [] };
    });
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).contactEmail, undefined);
    await assertSettled(crmId);
  });

  it('a customer contact replaced by another person in Partner Center: the deal links them, the old Contact is not renamed', async () => {
    const { crmId, referralId, contactEmail } = await linkedDeal('Contact replaced in Partner Center');
    inPartnerCenter(referralId, (json) => {
      json.customerProfile = { ...json.customerProfile!, team: [{ firstName: 'Dana', lastName: 'Replacement', phoneNumber: '+1 206 555 0198', email: 'dana.replacement@customer.example' }] };
    });
    await world.syncToQuiet();
    assert.equal((await world.seller.read(crmId)).contactEmail, 'dana.replacement@customer.example');
    assert.ok(contactExists(world, contactEmail), 'the Contact the deal linked keeps its email (other deals use it)');
    await assertSettled(crmId);
  });

  it("the customer contact's phone edited in Partner Center reaches the CRM's Contact and stays in Partner Center", async () => {
    const { crmId, referralId } = await linkedDeal('Contact phone edited in Partner Center');
    inPartnerCenter(referralId, (json) => {
      json.customerProfile!.team![0]!.phoneNumber = '+1 206 555 7777';
    });
    await world.syncToQuiet();
    world.set.clock.advance(HOUR);
    await world.seller.edit(crmId, { notes: 'Called the customer' });
    await world.syncToQuiet();
    assert.equal(referralOf(world, referralId).customerProfile?.team?.[0]?.phoneNumber, '+1 206 555 7777', "Partner Center's edit is not sent back over");
    await assertSettled(crmId);
  });

  it('a team member removed in Partner Center leaves the CRM deal', async () => {
    const { crmId, referralId } = await linkedDeal('Team member removed in Partner Center');
    inPartnerCenter(referralId, (json) => {
      json.team = (json.team ?? []).filter((m) => m.email !== TEAM[1]!.email);
    });
    await world.syncToQuiet();
    assert.deepEqual((await world.seller.read(crmId)).teamEmails.map((e) => e.toLowerCase()).sort(), [TEAM[0]!.email]);
    await assertSettled(crmId);
  });

  it('a solution removed in Partner Center leaves the CRM deal', async () => {
    const { crmId, referralId } = await linkedDeal('Solution removed in Partner Center');
    inPartnerCenter(referralId, (json) => {
      json.details = { ...json.details, requirements: { ...json.details?.requirements, solutions: (json.details?.requirements?.solutions ?? []).filter((s) => s.id !== 'SOL-5678-WXYZ') } };
    });
    await world.syncToQuiet();
    assert.deepEqual((await world.seller.read(crmId)).solutionIds, ['SOL-1234-PQRS']);
    await assertSettled(crmId);
  });
});

function contactExists(world: World, email: string): boolean {
  if (world.kind === 'salesforce') return world.set.salesforce.store.all('Contact').some((c) => c.Email === email);
  return [...world.set.dataverse.store.table('contact')!.rows.values()].some((c) => c.emailaddress1 === email);
}
