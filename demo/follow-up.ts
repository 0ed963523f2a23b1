/**
 * The demo's scenes for the co-sell rules a seller sees on the CRM record (issue 19): the MPN location a
 * deal was created in, an inbound referral's answer-by date, the deal registration follow-up after Won, and
 * a marketplace lead that arrives as a CRM lead and follows the opportunity it is converted into.
 */
import type { World } from '../sandbox/world.js';

const say = (text = '') => console.log(text);
const day = (iso: string | undefined) => (iso ? new Date(Date.parse(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString().slice(0, 10) : '-');

export async function showLocation(world: World, label: string, crmId: string, defaultLocation: string): Promise<void> {
  const view = await world.seller.read(crmId);
  const held = view.referralId ? world.set.partnerCenter.store.get(view.referralId)?.locationId : undefined;
  say(`  • ${label}: the record names MPN location ${view.location ?? '-'} (the configured default is ${defaultLocation}); Partner Center created it in ${held ?? '-'}.`);
}

export async function showAnswerBy(world: World, label: string, crmId: string): Promise<void> {
  const view = await world.seller.read(crmId);
  say(`  • ${label}: answer by ${day(view.answerBy)} (14 days to accept or decline, shown on the record as "Answer referral by").`);
}

export async function showRegistration(world: World, label: string, crmId: string): Promise<void> {
  const view = await world.seller.read(crmId);
  say(`  • ${label}: registration eligible: ${view.registrationEligible ? 'yes' : 'no'}; register by ${day(view.registrationDeadline)}`);
  say(`      ${view.registrationNote ?? '(no note)'}`);
  say(`      Open it in Partner Center: ${view.referralLink ?? '-'}`);
}

/** Microsoft sends a marketing-qualified lead; it becomes a CRM lead; the seller converts it; the referral follows. */
export async function playMarketplaceLead(world: World, sync: (label: string) => Promise<void>): Promise<string | undefined> {
  const sent = world.microsoft.sendReferral({ deal: { dealName: 'Adatum – marketplace trial lead' }, qualification: 'MarketingQualified' });
  if (!sent.ok) return undefined;
  await sync('sync');
  const [leadId] = await world.seller.leadsForReferral(sent.value.id);
  if (!leadId) {
    say('  (the lead did not arrive)');
    return undefined;
  }
  const lead = await world.seller.readLead(leadId);
  say(`  • A ${lead.qualification} referral arrived as a ${world.seller.crmName} lead for ${lead.company} (no opportunity yet: ${(await world.seller.recordsForReferral(sent.value.id)).length}).`);
  say(`  • The lead shows Partner Center's status ${lead.referralStatus ?? '-'}, answer by ${day(lead.answerBy)}, sync ${lead.syncState ?? '-'}; it is kept current until converted.`);
  const opportunityId = await world.seller.convertLead(leadId);
  say(`  • The seller converts the lead into opportunity ${opportunityId}.`);
  await sync('sync');
  const records = await world.seller.recordsForReferral(sent.value.id);
  const view = await world.seller.read(opportunityId);
  say(`  • The referral now follows that opportunity: ${records.length} record(s) carry it, sync ${view.syncState}, answer by ${day(view.answerBy)}.`);
  return opportunityId;
}
