/**
 * The CRM refuses the customer contact of a referral (an org's rule on Contact: a Salesforce validation
 * rule, a Dataverse plug-in). The deal must not say synced while its contact is missing, Partner Center
 * must keep the contact, and once the rule is lifted the contact is written on the retry. Until 2026-12-06
 * Salesforce dropped the refused Contact without a word: the create said it succeeded, the record said
 * "synced", and the next run read the record without a contact as the seller's removal and emptied the
 * customer contact in Partner Center. (Dynamics 365 saves the deal and its contact in one change set: the
 * whole create is refused, parked and retried, as before.)
 */
import assert from 'node:assert/strict';
import { retryDelayMs } from '../../core/engine/backoff.js';
import type { CrmKind, World } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { referralOf, unwrap } from './lifecycle.suite.js';

const RULE = 'Every contact needs a job title (ContosoContactRules).';

/** What an org admin sets up that refuses a new Contact without a job title; returns how to lift it. */
function refuseContacts(world: World): () => void {
  if (world.kind === 'salesforce') {
    const rules = world.set.salesforce.store.validationRules;
    const rule = { object: 'Contact', field: 'Title', message: RULE, violated: (r: Readonly<Record<string, unknown>>) => !r.Title };
    rules.push(rule);
    return () => void rules.splice(rules.indexOf(rule), 1);
  }
  const plugins = world.set.dataverse.store.plugins;
  const step = { table: 'contact', messages: ['Create'] as const, refuses: (row: Readonly<Record<string, unknown>>) => (row.jobtitle ? undefined : RULE) };
  plugins.push(step);
  return () => void plugins.splice(plugins.indexOf(step), 1);
}

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`a customer contact the CRM refuses (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind);

  it('is reported, Partner Center keeps the contact, and the retry writes it once the rule is lifted', async () => {
    const { world } = each;
    const lift = refuseContacts(world);
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'Contact refused by the org' } }));
    const email = 'wendy@woodgrove.example'; // the customer contact Microsoft's sample referral carries (sandbox/partner-center/actors.ts)
    const partnerCenterHasContact = () => JSON.stringify(referralOf(world, sent.id)).includes(email);
    assert.ok(partnerCenterHasContact(), 'the referral has a customer contact');

    for (let run = 0; run < 3; run += 1) {
      await world.sync();
      world.set.clock.advance(60_000);
      assert.ok(partnerCenterHasContact(), `Partner Center still has the customer contact after run ${run + 1}`);
      const [crmId] = await world.seller.recordsForReferral(sent.id);
      if (crmId) {
        const view = await world.seller.read(crmId);
        assert.notEqual(view.syncState, 'synced', 'a record without its contact never says synced');
        assert.ok((view.syncMessage ?? '').includes('Every contact needs a job title'), `the record says why: ${view.syncMessage ?? ''}`);
      }
    }
    assert.ok(world.runtime.store.listParked().some((p) => p.reasons.some((r) => r.message.includes('Every contact needs a job title'))), "parked with the CRM's reason");

    lift();
    world.set.clock.advance(retryDelayMs(5));
    await world.syncToQuiet();
    const [crmId] = await world.seller.recordsForReferral(sent.id);
    assert.ok(crmId, 'the deal is in the CRM');
    const view = await world.seller.read(crmId);
    assert.equal(view.contactEmail, email, 'the retry wrote the contact');
    assert.equal(view.syncState, 'synced', view.syncMessage);
    assert.ok(partnerCenterHasContact());
    assert.deepEqual(world.runtime.store.listParked(), []);
  });
  it('a new contact Partner Center puts on a synced deal: reported, kept in Partner Center, written once the rule is lifted', async () => {
    const { world } = each;
    const sent = unwrap(world.microsoft.sendReferral({ deal: { dealName: 'New contact refused by the org' } }));
    await world.syncToQuiet();
    const [crmId] = await world.seller.recordsForReferral(sent.id);
    assert.ok(crmId);
    const lift = refuseContacts(world);
    world.set.clock.advance(60_000);
    const nina = { firstName: 'Nina', lastName: 'Novak', phoneNumber: '+1 206 555 0199', email: 'nina.novak@woodgrove.example' };
    unwrap(world.set.partnerCenter.service.change(OUR_PARTNER_ORG, sent.id, (json) => ({ ok: true, value: { ...json, customerProfile: { ...json.customerProfile!, team: [nina] } } })));
    for (let run = 0; run < 3; run += 1) {
      await world.sync();
      world.set.clock.advance(60_000);
      assert.ok(JSON.stringify(referralOf(world, sent.id)).includes(nina.email), `Partner Center keeps the new contact after run ${run + 1}`);
      const view = await world.seller.read(crmId);
      assert.equal(view.syncState, 'error', 'the record does not say synced without its contact');
      assert.ok((view.syncMessage ?? '').includes('Every contact needs a job title'), `the record says why: ${view.syncMessage ?? ''}`);
    }
    lift();
    world.set.clock.advance(retryDelayMs(5));
    await world.syncToQuiet();
    const view = await world.seller.read(crmId);
    assert.equal(view.contactEmail, nina.email, 'the retry wrote the contact');
    assert.equal(view.syncState, 'synced', view.syncMessage);
  });
});
