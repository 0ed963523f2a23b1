/**
 * `npm run demo`: the main job against the embedded sandboxes. For each CRM it starts Entra ID, Partner
 * Center and the CRM's sandbox with realistic data, signs in to Partner Center, sets the CRM up, and
 * plays a week of co-selling: sellers create deals of every type (and a few Partner Center would
 * refuse), Microsoft and another partner send referrals and answer, sellers accept, decline, fix, move
 * stages and win, and sync runs in between. It prints what moved where, what was refused and why.
 */
import { dealSpec } from '../sandbox/consoles/deal-spec.js';
import { recordLine, runSummary } from './format.js';
import { webhookScene } from './webhook.js';
import { playMarketplaceLead, showAnswerBy, showLocation, showRegistration } from './follow-up.js';
import { OTHER_PARTNER_ORG } from '../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../sandbox/world.js';

const HOUR = 3_600_000;
const say = (text = '') => console.log(text);
const step = (text: string) => say(`\n▸ ${text}`);

async function sync(world: World, label: string): Promise<void> {
  const reports = await world.syncToQuiet();
  say(`  ${label}: ${reports.map(runSummary).join(`\n  ${' '.repeat(label.length)}  `)}`);
}

async function show(world: World, crmIds: Record<string, string>): Promise<void> {
  for (const [label, crmId] of Object.entries(crmIds)) {
    const view = await world.seller.read(crmId);
    const referral = view.referralId ? world.set.partnerCenter.store.get(view.referralId) : undefined;
    const pc = referral ? `Partner Center ${referral.status}/${referral.substatus}${referral.salesStage ? ` (${referral.salesStage})` : ''}, ${referral.dealType ?? ''}` : 'not in Partner Center';
    const [deal] = await world.runtime.crm.getDeals([crmId]);
    const readAs = deal ? { ...(deal.referral.salesStage ? { salesStage: deal.referral.salesStage } : {}), status: `${deal.referral.status}/${deal.referral.substatus}` } : undefined;
    say(recordLine(label, view, readAs, pc));
    if (view.syncState === 'error' || view.syncState === 'held' || view.syncState === 'conflict' || view.syncState === 'closed') say(`      ${view.syncMessage}`);
  }
}

async function playCrm(kind: CrmKind): Promise<void> {
  // Referrals Partner Center classifies as leads become CRM leads in this demo (sync.leadsAsCrmLeads).
  const world = await startWorld(kind, { seed: true, sync: { leadsAsCrmLeads: true } });
  try {
    const { seller } = world;
    say(`\n━━━ ${seller.crmName} ━━━`);
    say(`Partner Center sandbox ${world.set.partnerCenter.apiBaseUrl}, ${seller.crmName} sandbox ${kind === 'salesforce' ? world.set.salesforce.url : world.set.dataverse.url}`);
    say(`Signed in to Partner Center through the device-code flow; ${seller.crmName} set up (custom fields and solutions object).`);

    step('Sellers create deals in the CRM and tick "Sync with Partner Center"');
    const deals: Record<string, string> = {
      'Private deal': await seller.createDeal(dealSpec('Private deal')),
      'Partner-led deal': await seller.createDeal(dealSpec('Partner-led deal', { share: true })),
      'Co-sell deal (PoC help)': await seller.createDeal(dealSpec('Co-sell deal', { share: true, helpType: 'proof-of-concept' })),
      'Registrable deal': await seller.createDeal(dealSpec('Registrable deal', { share: true, solutions: [{ id: 'SOL-AZIP-0001', kind: 'own', incentiveEligible: true }] })),
      'Munich deal (own location)': await seller.createDeal(dealSpec('Munich deal', { share: true, location: 'loc-de-munich' })),
      'Solution assessment': await seller.createDeal(dealSpec('Solution assessment', { share: true, solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment', assessmentLocation: 'US' }] })),
      'No solution (invalid)': await seller.createDeal(dealSpec('No solution', { solutions: [] })),
      'Bad team email (invalid)': await seller.createDeal(dealSpec('Bad email', { team: [{ firstName: 'Al', lastName: 'Typo', phone: '+1 425 555 0142', email: 'al.typo@' }] })),
    };
    await sync(world, 'first sync');
    say(`  Partner Center's existing pipeline (its seed) now has one ${seller.crmName} opportunity per referral.`);
    await show(world, deals);
    await showLocation(world, 'Munich deal', deals['Munich deal (own location)']!, 'loc-us-redmond');

    step('Microsoft sends a co-sell referral; another partner invites us to a deal; Microsoft takes up our co-sell request');
    const fromMicrosoft = world.microsoft.sendReferral({ deal: { dealName: 'Fourth Coffee – Azure landing zone' } });
    const fromPartner = world.otherPartner.sendReferral({ deal: { dealName: 'Fabrikam – data platform' } });
    const coSellId = (await seller.read(deals['Co-sell deal (PoC help)']!)).referralId;
    if (coSellId) world.microsoft.respond(coSellId, 'accept');
    await sync(world, 'sync');
    const inbound = fromMicrosoft.ok ? (await seller.recordsForReferral(fromMicrosoft.value.id))[0] : undefined;
    const p2p = fromPartner.ok ? (await seller.recordsForReferral(fromPartner.value.id))[0] : undefined;
    if (inbound) deals['Inbound from Microsoft'] = inbound;
    if (p2p) deals['Inbound from a partner'] = p2p;
    await show(world, deals);
    if (inbound) await showAnswerBy(world, 'Inbound from Microsoft', inbound);

    step('Sellers answer and work their deals: accept, decline, fix the invalid deal, move stages, invite a partner, win early');
    if (inbound) await seller.accept(inbound);
    if (p2p) await seller.decline(p2p, 'timeline-too-short');
    await seller.addSolution(deals['No solution (invalid)']!, { id: 'SOL-1234-PQRS', kind: 'own' });
    await seller.setStage(deals['Partner-led deal']!, 'Proposed');
    await seller.invitePartner(deals['Private deal']!, OTHER_PARTNER_ORG);
    world.set.clock.advance(2 * HOUR);
    await seller.win(deals['Registrable deal']!);
    await sync(world, 'sync');
    await show(world, deals);

    step('Three days later the 72-hour gap has passed: the held Won goes to Partner Center');
    world.set.clock.advance(72 * HOUR);
    await sync(world, 'sync');
    await show(world, { 'Registrable deal': deals['Registrable deal']! });
    await showRegistration(world, 'Registrable deal', deals['Registrable deal']!);

    step('A marketplace lead (marketing-qualified) arrives as a CRM lead; the seller converts it');
    await playMarketplaceLead(world, (label) => sync(world, label));

    step('Nothing changed since: an idle cycle');
    const idle = await world.sync();
    say(`  idle sync: ${runSummary(idle)} (writes: ${idle.writes})`);
    const counters = world.set.partnerCenter.counters.snapshot();
    say(`  Partner Center sandbox served ${Object.values(counters).reduce((a, b) => a + b, 0)} requests in all.`);

    step('cosell serve runs as a service: Microsoft sends a referral and the webhook brings it to the CRM');
    await webhookScene(world, say);
  } finally {
    await world.close();
  }
}

async function main(): Promise<void> {
  say('cosell-connector demo: co-selling from the CRM, against local sandboxes of every API it talks to.');
  for (const kind of ['salesforce', 'dynamics'] as const) {
    try {
      await playCrm(kind);
    } catch (error) {
      say(`\n${kind}: the demo stopped: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
  say('\nDone. Try it yourself: cosell sandbox --write-config cosell.config.yaml (see the README).');
}

await main();
