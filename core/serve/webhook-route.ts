/**
 * `POST /webhooks/partner-center`: Partner Center's webhook deliveries. The signature is checked over the
 * raw body before anything else (a bad or missing one: 401, and nothing else happens), then the event's
 * age (too old or dated ahead: 409) and whether it was taken before. An accepted event is stored in the
 * state store and answered 200 at once; the targeted sync runs after, in the service's worker. An event
 * taken before (Partner Center retrying a delivery whose answer it did not get) is answered 200 too, so
 * that Partner Center stops retrying, and nothing is queued for it again.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServeContext } from './context.js';
import { refusalLogger } from './refusal-log.js';
import { judgeDelivery } from './webhook-delivery.js';

export const WEBHOOK_PATH = '/webhooks/partner-center';
const MAX_BODY_BYTES = 64 * 1024;

export async function webhookRoutes(app: FastifyInstance, context: ServeContext): Promise<void> {
  rawBodies(app);
  const { metrics } = context.service;
  const log = context.runtime.logger.child({ route: WEBHOOK_PATH });
  const logRefusal = refusalLogger(log);

  app.post(WEBHOOK_PATH, async (request, reply) => {
    metrics.webhook('received');
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const verdict = await judgeDelivery(raw, request.headers, context);
    if (verdict.verified) metrics.webhook('verified');
    if (!verdict.accepted) {
      metrics.webhook('refused', verdict.reason);
      logRefusal({ reason: verdict.reason, detail: verdict.message, from: request.ip });
      return refuse(reply, verdict.status, verdict.reason, verdict.message);
    }
    if (verdict.duplicate) {
      metrics.webhook('duplicate');
      log.info({ event: verdict.eventName }, 'webhook event delivered again (already taken): acknowledged, nothing queued');
      return reply.code(200).send(DUPLICATE_ANSWER);
    }
    const { action } = verdict;
    // Stored before the answer: an event answered 200 is synced even if the service dies right after.
    if (action.kind === 'sync-referral') context.service.referralAnnounced(action.referralId, Date.now());
    else if (action.kind === 'poll') context.service.requestPoll();
    context.replay.remember(verdict.key, verdict.nowMs);
    log.info({ event: verdict.eventName, action }, 'webhook event accepted');
    return reply.code(200).send({ accepted: true, action: action.kind });
  });
}

/** The answer to a delivery of an event already taken, as both intakes give it. */
export const DUPLICATE_ANSWER = { accepted: true, duplicate: true, action: 'none' } as const;

/** A refusal as both intakes answer it: the stable code and what was wrong. */
export function refuse(reply: FastifyReply, status: 400 | 401 | 404 | 409, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

/** The body as the signature covers it: this scope keeps it as a Buffer, unparsed. */
export function rawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
}
