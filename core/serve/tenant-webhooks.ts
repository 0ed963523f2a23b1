/**
 * A multi-tenant install's webhook intake: `POST /tenants/{tenantId}/webhooks/partner-center`, the URL
 * each tenant registers for its Partner Center organisation's referral events. A delivery is judged as a
 * single install judges it (webhook-delivery.ts); an accepted one records the named referral for a
 * targeted sync of that tenant (core/worker/referral-work.ts) or asks for a cycle, then wakes the tenant's
 * job. The worker that takes it does the sync: this process holds no tenant's lock and syncs nothing.
 *
 * The record comes first and the wake-up second: if this process dies between the two, the scheduler tick
 * of any worker finds the waiting referral and wakes the tenant (tenant-work.ts `scheduledTenants`).
 * An event taken before (a retry of a delivery Partner Center counted as failed) is acknowledged and not
 * queued again, by the single install's guard (replay-guard.ts) over an in-memory store, one per intake
 * process; one that reaches another intake process costs a targeted sync that writes nothing (the
 * engine's echo check).
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../worker/job-queue.js';
import { requestReferralSync } from '../worker/referral-work.js';
import { requestCycle } from '../worker/tenant-work.js';
import type { DeliveryGuards } from './webhook-delivery.js';
import { judgeDelivery } from './webhook-delivery.js';
import { refusalLogger } from './refusal-log.js';
import { DUPLICATE_ANSWER, rawBodies, refuse } from './webhook-route.js';

export const TENANT_WEBHOOK_PATH = '/tenants/:tenantId/webhooks/partner-center';

export interface TenantIntake extends Omit<DeliveryGuards, 'replay'> {
  pool: pg.Pool;
  queue: Pick<JobQueue, 'wake'>;
  logger: Logger;
  replay: DeliveryGuards['replay'] & { remember(key: string, nowMs: number): void };
}

export async function tenantWebhookRoutes(app: FastifyInstance, intake: TenantIntake): Promise<void> {
  rawBodies(app);
  const log = intake.logger.child({ route: TENANT_WEBHOOK_PATH });
  const logRefusal = refusalLogger(log);
  app.post<{ Params: { tenantId: string } }>(TENANT_WEBHOOK_PATH, async (request, reply) => {
    const { tenantId } = request.params;
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const verdict = await judgeDelivery(raw, request.headers, intake);
    if (!verdict.accepted) {
      logRefusal({ tenant: tenantId, reason: verdict.reason, detail: verdict.message, from: request.ip });
      return refuse(reply, verdict.status, verdict.reason, verdict.message);
    }
    const { rowCount } = await intake.pool.query('SELECT 1 FROM tenants WHERE tenant_id = $1', [tenantId]);
    if (!rowCount) return refuse(reply, 404, 'tenant_unknown', `There is no tenant ${tenantId} in this install.`);
    if (verdict.duplicate) {
      log.info({ tenant: tenantId, event: verdict.eventName }, 'webhook event delivered again (already taken): acknowledged, nothing queued');
      return reply.code(200).send(DUPLICATE_ANSWER);
    }
    const { action } = verdict;
    const at = intake.now();
    if (action.kind === 'sync-referral') await requestReferralSync(intake.pool, tenantId, [action.referralId], at);
    else if (action.kind === 'poll') await requestCycle(intake.pool, tenantId, at);
    if (action.kind !== 'ignore') await intake.queue.wake(tenantId, 'webhook');
    intake.replay.remember(verdict.key, verdict.nowMs);
    log.info({ tenant: tenantId, event: verdict.eventName, action }, 'webhook event accepted');
    return reply.code(200).send({ accepted: true, action: action.kind });
  });
}
