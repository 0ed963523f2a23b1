/** An outbound deal made in the fake CRM and synced until it is linked: its CRM ID and referral ID. */
import type { Referral } from '../../core/model/index.js';
import type { FakeWorld } from './fake-world.js';
import { outboundDeal } from './referrals.js';

/** A deal as a seller makes it in the CRM: none of Partner Center's identifiers or times yet. */
export const crmMadeDeal = (overrides: Partial<Referral> = {}): Referral =>
  outboundDeal({ referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, acceptedAt: undefined, ...overrides });

export async function fakeLinkedDeal(world: FakeWorld, stepMs = 60_000): Promise<{ crmId: string; referralId: string }> {
  const crmId = world.crm.add(crmMadeDeal());
  for (let i = 0; i < 2; i += 1) {
    world.advance(stepMs);
    await world.sync();
  }
  return { crmId, referralId: world.crm.records.get(crmId)!.status!.referralId! };
}
