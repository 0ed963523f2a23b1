/**
 * The customer (the CRM's account) is shared both ways (mappings/field-ownership.ts): edits on either side
 * flow to the other, and edits on both sides at once are settled by the conflict policy (or left to an admin
 * under manual, admin.ts). These actions edit it in Partner Center, on both sides at once, and give in to
 * the other side's value after a conflict (the sides then agree by themselves).
 */
import type { RecordView } from '../../sandbox/consoles/types.js';
import type { World } from '../../sandbox/world.js';
import type { Pick } from './actions.js';

type ReferralJson = Record<string, unknown>;
type Profile = { name?: string; address?: Record<string, unknown> };

interface CustomerActors {
  world: World;
  random: () => number;
  pick: Pick;
}

export function customerActions({ world, random, pick }: CustomerActors, n: number, crmId: string, view: RecordView, inPartnerCenter: (change: (json: ReferralJson) => void) => boolean): { weight: number; run: () => Promise<string> }[] {
  const referralId = view.referralId!;
  const setInPartnerCenter = (field: 'name' | 'city', value: string) => inPartnerCenter((json) => {
    const profile = (json.customerProfile ?? {}) as Profile;
    json.customerProfile = field === 'name' ? { ...profile, name: value } : { ...profile, address: { ...profile.address, city: value } };
  });
  const inPc = () => ((world.set.partnerCenter.store.get(referralId) as ReferralJson | undefined)?.customerProfile as Profile | undefined)?.name;
  const inCrm = async () => (await world.runtime.crm.getDeals([crmId]))[0]?.referral.customer.name;
  const actions = [
    { weight: 3, run: async () => {
      // A colleague's edit in Partner Center reaches the CRM's account, and from there every deal of that
      // account (inbound referrals share one).
      const field = pick(['name', 'city'] as const);
      const value = field === 'name' ? `PC Customer ${n}` : pick(['Redmond', 'Bellevue', 'Tacoma']);
      return `a colleague sets the customer ${field} to "${value}" in Partner Center on ${referralId} (${setInPartnerCenter(field, value) ? 'ok' : 'refused'})`;
    } },
    { weight: 2, run: async () => {
      // Both sides rename the customer before a sync: now and then to the same name (no conflict at all).
      const same = random() < 0.3;
      await world.seller.editAccount(crmId, { name: `Both ${n} Ltd` });
      const ok = setInPartnerCenter('name', same ? `Both ${n} Ltd` : `Both ${n} PC`);
      return `the seller and a colleague rename the customer of ${crmId} at once, ${same ? 'alike' : 'differently'} (${ok ? 'ok' : 'refused'})`;
    } },
  ];
  if (view.syncState === 'conflict') actions.push({ weight: 6, run: async () => {
    // Someone sees the conflict and takes the other side's value: the sides agree without an admin.
    if (random() < 0.5) {
      const name = inPc();
      if (name) await world.seller.editAccount(crmId, { name });
      return `the seller types Partner Center's customer name "${name ?? ''}" into the account of ${crmId}`;
    }
    const name = await inCrm();
    const ok = name ? setInPartnerCenter('name', name) : false;
    return `a colleague types the CRM's customer name "${name ?? ''}" into ${referralId} (${ok ? 'ok' : 'refused'})`;
  } });
  return actions;
}
