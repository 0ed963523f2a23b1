/**
 * `cosell serve` tells sellers what `cosell sync --once` and `cosell run` tell them: a new inbound referral
 * that arrives through the webhook is announced once, to our seller on the deal, with the record's link,
 * and later polls send nothing more. (Before, only locked-run.ts sent notices, so a service never did.)
 */
import assert from 'node:assert/strict';
import type { SentItem } from '../../sandbox/graph/wire.js';
import { waitFor } from '../helpers/cli.js';
import { dashboardContextOf } from '../../core/dashboard/runtime-context.js';
import { notificationsFor } from '../helpers/notifications.js';
import { startServeWorld, type ServeWorld } from './serve-world.js';

const TEAM = [
  { firstName: 'Morgan', lastName: 'Reyes', email: 'morgan@microsoft.example', phone: '+1 425 555 0100' },
  { firstName: 'Sam', lastName: 'Seller', email: 'sam@contoso-partner.example', phone: '+1 425 555 0101' },
];

async function sentAbout(sw: ServeWorld, dealName: string): Promise<SentItem[]> {
  const response = await fetch(`${sw.world.set.graph.controls}/sent`);
  return ((await response.json()) as { value: SentItem[] }).value.filter((m) => m.subject?.includes(dealName));
}

describe('cosell serve: notifications after its runs (Dynamics 365)', function () {
  this.timeout(120_000);
  let sw: ServeWorld;
  before(async () => {
    sw = await startServeWorld('dynamics', { pollIntervalMinutes: 60 });
    sw.world.runtime.config.notifications = notificationsFor(sw.world);
  });
  after(async () => sw?.close());

  it('a referral brought by the webhook is announced once to our seller, and a later poll sends nothing more', async () => {
    const service = sw.service.context.service;
    const dealName = 'Serve notice – Fourth Coffee';
    const sent = sw.world.microsoft.sendReferral({ deal: { dealName, team: TEAM } });
    assert.ok(sent.ok);
    await waitFor(async () => (await sw.world.seller.recordsForReferral(sent.value.id)).length > 0, 60_000, 'the referral in Dynamics 365');
    await service.idle();
    await waitFor(async () => (await sentAbout(sw, dealName)).length > 0, 10_000, 'the notice in the Graph sandbox');

    const link = sw.world.runtime.store.getLinkByReferralId(sent.value.id);
    assert.ok(link);
    const [notice, ...more] = await sentAbout(sw, dealName);
    assert.equal(more.length, 0, 'one message');
    assert.match(notice!.subject!, /^New co-sell referral/);
    assert.deepEqual(notice!.to, ['sam@contoso-partner.example'], 'our seller, never Microsoft\'s');
    assert.match(notice!.content, new RegExp(`https://crm.example/opportunity/${link.crmId}`));
    // The field as the Dynamics 365 form labels it, not Salesforce's "Referral response".
    assert.match(notice!.content, /set &#34;Accept or Decline Referral&#34; to Accept or Decline/);

    service.requestPoll();
    await service.idle();
    assert.equal((await sentAbout(sw, dealName)).length, 1, 'the poll after it sends nothing more');
  });

  it('without crmRecordUrl, notices and the dashboard link the Dynamics 365 record by its environment URL', async () => {
    const service = sw.service.context.service;
    sw.world.runtime.config.notifications = notificationsFor(sw.world, { crmRecordUrl: undefined });
    const dealName = 'Serve notice – no record URL';
    const sent = sw.world.microsoft.sendReferral({ deal: { dealName, team: TEAM } });
    assert.ok(sent.ok);
    await waitFor(async () => (await sentAbout(sw, dealName)).length > 0, 60_000, 'the notice in the Graph sandbox');
    await service.idle();
    const crmId = sw.world.runtime.store.getLinkByReferralId(sent.value.id)!.crmId;
    const [notice] = await sentAbout(sw, dealName);
    const amp = '&(?:amp;|#38;)?';
    assert.match(notice!.content, new RegExp(`href="https://contoso-sandbox\\.crm\\.dynamics\\.com/main\\.aspx\\?pagetype=entityrecord${amp}etn=opportunity${amp}id=${crmId}"`));
    const dashboardTemplate = dashboardContextOf(sw.world.runtime).config.crmRecordUrl;
    assert.equal(dashboardTemplate, 'https://contoso-sandbox.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=opportunity&id={crmId}');
  });
});
