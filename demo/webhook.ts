/**
 * The demo's last scene: `cosell serve` runs (backstop poll at 60 minutes), registered as Partner
 * Center's webhook receiver; Microsoft sends a referral, and the CRM has it a moment later through the
 * webhook and a targeted sync. The delay is measured from the send to the record's arrival.
 */
import { registrationClientFor } from '../core/serve/registration.js';
import { startServe } from '../core/serve/start.js';
import { WEBHOOK_PATH } from '../core/serve/webhook-route.js';
import type { World } from '../sandbox/world.js';

async function until(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

export async function webhookScene(world: World, say: (text: string) => void): Promise<void> {
  const running = await startServe({ runtime: world.runtime, owner: 'demo-serve', settings: { port: 0, host: '127.0.0.1', pollIntervalMinutes: 60 }, now: () => world.set.clock.now() });
  if ('lockedBy' in running) throw new Error('the runner lock is held');
  try {
    const webhookUrl = `${running.url}${WEBHOOK_PATH}`;
    const { replaced } = await registrationClientFor(world.runtime.config).register(webhookUrl, true);
    await running.context.service.idle();
    say(`  cosell serve listens on ${running.url}; registered ${webhookUrl} for the referral events${replaced ? ` (replacing ${replaced.webhookUrl})` : ''}; backstop poll every 60 minutes.`);
    const sentAt = Date.now();
    const sent = world.microsoft.sendReferral({ deal: { dealName: 'Tailwind Traders – AI copilot rollout' } });
    if (!sent.ok) throw new Error(`the sandbox refused Microsoft's referral: ${sent.failure.message}`);
    let crmId: string | undefined;
    const arrived = await until(async () => (crmId = (await world.seller.recordsForReferral(sent.value.id))[0]) !== undefined, 30_000);
    const delayMs = Date.now() - sentAt;
    if (!arrived || !crmId) {
      say(`  The referral did not arrive within 30 s.`);
      return;
    }
    await running.context.service.idle();
    const view = await world.seller.read(crmId);
    const targeted = running.context.service.history.filter((r) => r.kind === 'targeted' && (r.counts.crmCreated ?? 0) > 0).length;
    say(`  Microsoft sent "${sent.value.name ?? 'a referral'}"; ${world.seller.crmName} had it ${delayMs} ms later (record ${crmId}${view.name ? `, "${view.name}"` : ""}), written by ${targeted} targeted sync from the webhook — no poll needed.`);
  } finally {
    await running.stop();
  }
}
