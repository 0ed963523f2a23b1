/**
 * Three inbound referrals of one customer and one customer contact, synced: three deals on one CRM account
 * and one CRM contact (matched by name and address, and by email: Salesforce and Dynamics 365 matching.ts),
 * for the tests of a shared customer's changes (shared-contact-edit.test.ts, shared-customer-same-run.test.ts).
 */
import assert from 'node:assert/strict';
import { tapRequests } from '../../sandbox/common/request-tap.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import type { WireReferral } from '../../sandbox/partner-center/wire/types.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

export interface SharedDeal {
  referralId: string;
  crmId: string;
}

/**
 * Each answered call moves the sandboxes' clock on a second, as a run against the real services takes
 * seconds: the connector's write of the contact through one deal falls in an earlier second than its last
 * call of the run (whole seconds: the `Date` header its own-writes window is anchored to). Without it a
 * whole run falls in one second and the timing-dependent cases (model seed 1711) pass by chance.
 */
function callsTakeASecond(world: World): () => void {
  const untap = tapRequests((_request, moment) => void (moment === 'answered' && world.set.clock.advance(1_000)));
  return () => void untap();
}

async function threeSharedDeals(world: World): Promise<SharedDeal[]> {
  const referrals = ['First', 'Second', 'Third'].map((n) => unwrap(world.microsoft.sendReferral({ deal: { dealName: `${n} shared-customer deal` } })).id);
  await world.syncToQuiet();
  const deals: SharedDeal[] = [];
  for (const referralId of referrals) {
    const [crmId] = await world.seller.recordsForReferral(referralId);
    assert.ok(crmId, `referral ${referralId} has an opportunity`);
    deals.push({ referralId, crmId });
  }
  const emails = await Promise.all(deals.map(async (d) => (await world.seller.read(d.crmId)).contactEmail));
  assert.deepEqual(emails, ['wendy@woodgrove.example', 'wendy@woodgrove.example', 'wendy@woodgrove.example'], 'one contact on the three deals');
  return deals;
}

/** Runs `body` in a world of three deals sharing their customer, calls taking a second each. */
export async function withSharedDeals(kind: CrmKind, body: (world: World, deals: SharedDeal[]) => Promise<void>): Promise<void> {
  const world = await startWorld(kind);
  const untap = callsTakeASecond(world);
  try {
    await body(world, await threeSharedDeals(world));
  } finally {
    untap();
    await world.close();
  }
}

/** The phone of the referral's customer contact, as Partner Center holds it. */
export const phoneOf = (world: World, referralId: string) => referralOf(world, referralId).customerProfile?.team?.[0]?.phoneNumber;

/** Partner Center changes one referral's customer (`change` gets and returns its customer profile). */
export function changeCustomerInPartnerCenter(world: World, referralId: string, change: (profile: NonNullable<WireReferral['customerProfile']>) => WireReferral['customerProfile']): void {
  unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, customerProfile: change(json.customerProfile!) } })));
}

/** Partner Center changes the customer contact's phone on one referral (the same person: the same email). */
export function changePhoneInPartnerCenter(world: World, referralId: string, phone: string): void {
  changeCustomerInPartnerCenter(world, referralId, (profile) => ({ ...profile, team: profile.team!.map((m) => ({ ...m, phoneNumber: phone })) }));
}
