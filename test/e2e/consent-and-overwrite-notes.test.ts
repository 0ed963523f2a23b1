/**
 * A sync that both tells the consent note (the customer contact kept back or removed from Partner Center)
 * and replaces a seller's edit (a field only Partner Center writes, put back: owned-fields-note.ts) shows
 * both on the record, the replaced edit first, within the message field's length, and keeps both while
 * nothing else changes. Until 2026-12-06 the consent note hid the other: the seller's edit was undone without
 * a word (both CRMs).
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { F, SYNC_MESSAGE_LENGTH } from '../../mappings/custom-fields.salesforce.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { webApi } from '../helpers/dataverse-web-api.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const MINUTE = 60_000;

async function typeMicrosoftStatus(world: World, crmId: string, value: string): Promise<void> {
  if (world.kind === 'salesforce') assert.ok(world.set.salesforce.seller.editOpportunity(crmId, { [F.microsoftStatus]: value }).ok);
  else await webApi(world, 'PATCH', `opportunities(${crmId})`, { cosell_microsoftstatus: value });
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`the consent note beside a replaced edit (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind);

  it('consent withdrawn and Microsoft\'s status typed over in one sync: the record names both, the replaced edit first', async () => {
    const { world } = each;
    const crmId = await world.seller.createDeal(dealSpec('Both notes', { share: true }));
    await world.syncToQuiet();
    const referralId = (await world.seller.read(crmId)).referralId!;
    const microsoftBefore = referralOf(world, referralId).microsoftStatus;

    world.set.clock.advance(MINUTE);
    await world.seller.setConsent(crmId, false);
    await typeMicrosoftStatus(world, crmId, 'Accepted');
    const reports = await world.syncToQuiet();

    const after = await world.seller.read(crmId);
    const message = after.syncMessage ?? '';
    assert.equal(after.syncState, 'synced');
    assert.equal(referralOf(world, referralId).microsoftStatus, microsoftBefore, "Microsoft's status was not sent");
    assert.match(message, /^Microsoft's status Accepted was not sent and shows Partner Center's again: .*\[microsoft\.read_only\]/i, message);
    // Salesforce keeps 255 characters: the consent note follows in short, still naming the box.
    const consent = kind === 'salesforce' ? /\[microsoft\.read_only\] Contact removed: tick "Consent to share contacts" to resend\.$/ : /\[microsoft\.read_only\] The customer contact was removed from the referral .*once the box is ticked\.$/;
    assert.match(message, consent, message);
    if (kind === 'salesforce') assert.ok(message.length <= SYNC_MESSAGE_LENGTH, `${message.length} characters`);
    assert.equal(reports.at(-1)!.writes, 0, 'both notes stay while nothing changes');
  });

  it('a private deal without consent whose Partner Center rename the CRM replaced: the replacement and the consent note, both kept', async () => {
    const { world } = each;
    const crmId = await world.seller.createDeal(dealSpec('Owned name no consent', { consent: false }));
    await world.syncToQuiet();
    const before = await world.seller.read(crmId);
    assert.match(before.syncMessage ?? '', /^In Partner Center without the customer contact/);
    const referralId = before.referralId!;
    world.set.clock.advance(MINUTE);
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, referralId, (json) => ({ ok: true, value: { ...json, name: 'Renamed in Partner Center' } })));
    world.set.clock.advance(MINUTE);
    await world.seller.edit(crmId, { name: 'Renamed in the CRM' });
    const reports = await world.syncToQuiet();

    assert.equal(referralOf(world, referralId).name, 'Renamed in the CRM', 'the CRM owns the deal name');
    const message = (await world.seller.read(crmId)).syncMessage ?? '';
    const field = kind === 'salesforce' ? 'Opportunity Name' : 'Topic';
    assert.ok(message.startsWith(`Partner Center's ${field} "Renamed in Partner Center" was replaced by the CRM's "Renamed in the CRM" (the CRM owns ${field}).`), message);
    assert.match(message, /(In Partner Center without the customer contact|Contact not sent): .*"Consent to share contacts"/i, message);
    if (kind === 'salesforce') assert.ok(message.length <= SYNC_MESSAGE_LENGTH, `${message.length} characters`);
    assert.equal(reports.at(-1)!.writes, 0, 'both notes stay while nothing changes');
  });
});
