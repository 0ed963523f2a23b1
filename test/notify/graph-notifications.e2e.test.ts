/**
 * Issue 16, "Done when": a new inbound referral sent by Microsoft produces exactly one Graph message to the
 * deal's seller (visible in the Graph sandbox's control list), an expiring one produces one reminder, and
 * a repeat run sends nothing more. Runs go through `lockedRun`, the path of `cosell sync --once`.
 */
import assert from 'node:assert/strict';
import { lockedRun } from '../../core/cli/locked-run.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { SANDBOX_NOTIFY_MAILBOX } from '../../sandbox/graph/index.js';
import { notificationsFor } from '../helpers/notifications.js';
import type { SentItem } from '../../sandbox/graph/wire.js';
import { startWorld, type World } from '../../sandbox/world.js';

const DAY = 86_400_000;
/** A deal team holding Microsoft's seller and one of ours (the `from` mailbox's domain). */
const MIXED_TEAM = [
  { firstName: 'Morgan', lastName: 'Reyes', email: 'morgan@microsoft.example', phone: '+1 425 555 0100' },
  { firstName: 'Sam', lastName: 'Seller', email: 'Sam@Contoso-Partner.example', phone: '+1 425 555 0101' },
];

async function sentList(world: World): Promise<SentItem[]> {
  const response = await fetch(`${world.set.graph.controls}/sent`);
  return ((await response.json()) as { value: SentItem[] }).value;
}

const run = (world: World) => lockedRun(world.runtime, 'notify-test');

describe('notifications through Microsoft Graph (end to end, Salesforce)', function () {
  this.timeout(120_000);
  let world: World;

  beforeEach(async () => {
    world = await startWorld('salesforce');
    world.runtime.config.notifications = notificationsFor(world);
  });
  afterEach(async () => world.close());

  it('a new inbound referral: one message to our seller on the deal, never to Microsoft\'s; an expiring one: one reminder; a repeat run: nothing more', async () => {
    const sent = world.microsoft.sendReferral({ deal: { dealName: 'Fourth Coffee – Azure landing zone', team: MIXED_TEAM } });
    assert.ok(sent.ok);
    await run(world);
    await run(world);
    const link = world.runtime.store.getLinkByReferralId(sent.value.id);
    assert.ok(link, 'the referral is linked to a new CRM opportunity');
    assert.deepEqual(link.base.team.map((c) => c.email.toLowerCase()).sort(), ['morgan@microsoft.example', 'sam@contoso-partner.example']);

    const first = (await sentList(world)).filter((m) => m.subject?.includes('Fourth Coffee'));
    assert.equal(first.length, 1, 'exactly one message about the new referral');
    assert.equal(first[0]!.kind, 'mail');
    assert.equal(first[0]!.from, SANDBOX_NOTIFY_MAILBOX);
    assert.deepEqual(first[0]!.to, ['sam@contoso-partner.example'], 'our seller only');
    assert.match(first[0]!.subject!, /^New co-sell referral/);
    assert.match(first[0]!.content, /Referral response/);
    assert.match(first[0]!.content, new RegExp(`https://crm.example/opportunity/${link.crmId}`));

    world.set.clock.advance(12.5 * DAY);
    await run(world);
    const afterExpiring = (await sentList(world)).filter((m) => m.subject?.includes('Fourth Coffee'));
    assert.equal(afterExpiring.length, 2, 'one reminder for the referral with under 48 hours left');
    assert.match(afterExpiring[1]!.subject!, /^Answer the referral .* within 1 day/);

    await run(world);
    await run(world);
    assert.equal((await sentList(world)).filter((m) => m.subject?.includes('Fourth Coffee')).length, 2, 'repeat runs send nothing more');
    const causes = world.runtime.store.notices.recent(10).map((n) => n.cause).filter((c) => c.endsWith(sent.value.id));
    assert.deepEqual(causes.sort(), [`inbound-expiring:${sent.value.id}`, `inbound-new:${sent.value.id}`]);
  });

  it('a new deal Partner Center would refuse: one "fix needed" message to our seller on it, not only the shared mailbox', async () => {
    const team = [{ firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'Sam@Contoso-Partner.example' }];
    const crmId = await world.seller.createDeal(dealSpec('Northwind – no solution yet', { team, solutions: [] }));
    await run(world);
    await run(world);
    assert.equal(world.runtime.store.getLinkByCrmId(crmId), undefined, 'refused before it reached Partner Center: no link');
    const mails = (await sentList(world)).filter((m) => m.subject?.includes('Northwind'));
    assert.equal(mails.length, 1, 'one message for the refusal, none for the repeat run');
    assert.ok(mails[0]!.to.includes('sam@contoso-partner.example'), `the seller on the deal is told (to: ${mails[0]!.to.join(', ')})`);
    assert.match(mails[0]!.content, /solution/i, 'the message names what to fix');
    assert.match(mails[0]!.content, /Field: Co-sell Solutions\. Rule: create\.solution\.required\./, 'the field as the seller sees it in Salesforce, and the rule');
  });

  it('a 429 with Retry-After from Graph is waited out and the message still goes once', async () => {
    world.set.graph.throttle(1, 1);
    const sent = world.microsoft.sendReferral({ deal: { dealName: 'Tailspin – throttled', team: MIXED_TEAM } });
    assert.ok(sent.ok);
    await run(world);
    await run(world);
    assert.equal((await sentList(world)).filter((m) => m.subject?.includes('Tailspin')).length, 1);
  });

  it('quiet hours hold a notice until they end', async () => {
    world.runtime.config.notifications = notificationsFor(world, { quietHours: { from: '00:00', to: '23:59' } });
    const sent = world.microsoft.sendReferral({ deal: { dealName: 'Wingtip – at night', team: MIXED_TEAM } });
    assert.ok(sent.ok);
    await run(world);
    assert.equal((await sentList(world)).filter((m) => m.subject?.includes('Wingtip')).length, 0, 'nothing is sent in quiet hours');
    const waiting = world.runtime.store.notices.recent(10).find((n) => n.cause === `inbound-new:${sent.value.id}`);
    assert.ok(waiting && waiting.sentAt === undefined, 'the notice is recorded and waits');
  });
});
