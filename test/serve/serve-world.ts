/**
 * A sandbox world with `cosell serve`'s service running in this process against it, registered with
 * the Partner Center sandbox as our webhook receiver: the helper the serve tests share.
 */
import { registrationClientFor } from '../../core/serve/registration.js';
import { startServe, type RunningService } from '../../core/serve/start.js';
import { WEBHOOK_PATH } from '../../core/serve/webhook-route.js';
import { signBody } from '../../sandbox/partner-center/webhooks/certificate.js';
import { startWorld, type CrmKind, type World, type WorldOptions } from '../../sandbox/world.js';

export interface ServeWorld {
  world: World;
  service: RunningService;
  webhookUrl: string;
  close(): Promise<void>;
}

export async function startServeWorld(kind: CrmKind, options: WorldOptions & { pollIntervalMinutes?: number } = {}): Promise<ServeWorld> {
  const world = await startWorld(kind, options);
  const running = await startServe({ runtime: world.runtime, owner: `serve-test-${kind}`, settings: { port: 0, pollIntervalMinutes: options.pollIntervalMinutes ?? 60 }, now: () => world.set.clock.now() });
  if ('lockedBy' in running) throw new Error('the runner lock was held');
  const webhookUrl = `${running.url}${WEBHOOK_PATH}`;
  await registrationClientFor(world.runtime.config).register(webhookUrl, true);
  // The first poll runs at start: wait for it, so that what a test does next is what the webhook brings.
  await running.context.service.idle();
  return {
    world,
    service: running,
    webhookUrl,
    async close() {
      await running.stop();
      await world.close();
    },
  };
}

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

/** A referral event as the sandbox sends it, signed by the sandbox's certificate; `secondsLater` varies its date. */
export function referralEvent(sw: Pick<ServeWorld, 'world'>, referralId: string, name = 'referral-updated', secondsLater = 0, options: { msHeader?: boolean; changedAt?: Date } = {}): Delivery {
  const pc = sw.world.set.partnerCenter;
  const at = options.changedAt ?? new Date(pc.clock.nowMs() + secondsLater * 1000);
  const body = JSON.stringify({ EventName: name, ResourceUri: `${pc.url}/engagements/v1/referrals/${referralId}`, ResourceName: 'referral', AuditUri: null, ResourceChangeUtcDate: at.toISOString() });
  const signature = signBody(body, pc.signing);
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-ms-certificate-url': `${pc.url}/webhooks/v1/certificate`,
      'x-ms-signature-algorithm': 'rsa-sha256',
      ...(options.msHeader ? { 'x-ms-signature': `Signature ${signature}` } : { authorization: `Signature ${signature}` }),
    },
  };
}

export async function deliver(sw: Pick<ServeWorld, 'webhookUrl'>, delivery: Delivery): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const response = await fetch(sw.webhookUrl, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
}
