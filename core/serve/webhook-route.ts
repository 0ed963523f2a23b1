/**
 * `POST /webhooks/partner-center`: Partner Center's webhook deliveries. The signature is checked over the
 * raw body before anything else (a bad or missing one: 401, and nothing else happens), then the event's
 * age and whether it was seen before (a replay: 409). An accepted event is stored in the state store
 * and answered 200 at once; the targeted sync runs after, in the service's worker.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServeContext } from './context.js';
import { CertificateRefused } from './certificates.js';
import { readSignatureHeaders, signatureMatches } from './signature.js';
import { actionFor, eventKey, judgeReplay, parseWebhookEvent } from './webhook-event.js';

export const WEBHOOK_PATH = '/webhooks/partner-center';
const MAX_BODY_BYTES = 64 * 1024;

function refuse(reply: FastifyReply, status: 400 | 401 | 409, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

export async function webhookRoutes(app: FastifyInstance, context: ServeContext): Promise<void> {
  // The signature covers the exact bytes sent: this scope keeps the body as a Buffer, unparsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
  const { metrics } = context.service;
  const log = context.runtime.logger.child({ route: WEBHOOK_PATH });

  app.post(WEBHOOK_PATH, async (request, reply) => {
    metrics.webhook('received');
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const refused = (status: 400 | 401 | 409, reason: string, message: string) => {
      metrics.webhook('refused', reason);
      log.warn({ reason, detail: message, from: request.ip }, 'webhook delivery refused');
      return refuse(reply, status, reason, message);
    };

    const delivery = readSignatureHeaders(request.headers);
    if ('refused' in delivery) return refused(401, 'signature_missing', delivery.refused);
    let certificate;
    try {
      certificate = await context.certificates.signingCertificate(delivery.certificateUrl);
    } catch (error) {
      if (error instanceof CertificateRefused) return refused(401, 'certificate_refused', error.message);
      throw error;
    }
    if (!signatureMatches(raw, delivery, certificate)) return refused(401, 'signature_invalid', 'the signature does not match the body under the signing certificate');
    metrics.webhook('verified');

    const parsed = parseWebhookEvent(raw);
    if ('refused' in parsed) return refused(400, 'event_invalid', parsed.refused);
    const { event } = parsed;
    const key = eventKey(raw);
    const nowMs = context.now().getTime();
    const replay = judgeReplay(event, context.replay.has(key), nowMs, context.settings.webhooks.maxEventAgeMinutes * 60_000);
    if (replay) return refused(409, 'replay', replay);

    const action = actionFor(event);
    // Stored before the answer: an event answered 200 is synced even if the service dies right after.
    if (action.kind === 'sync-referral') context.service.referralAnnounced(action.referralId, Date.now());
    else if (action.kind === 'poll') context.service.requestPoll();
    context.replay.remember(key, nowMs);
    log.info({ event: event.EventName, action }, 'webhook event accepted');
    return reply.code(200).send({ accepted: true, action: action.kind });
  });
}
