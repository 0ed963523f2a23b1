/**
 * One Partner Center webhook delivery judged, before anything acts on it: the signature over the raw body
 * under Microsoft's signing certificate (missing or bad: 401), the event's shape (400), its age (older
 * than the bound or dated ahead: 409) and whether it was taken before (Partner Center's retry of a delivery
 * it counted as failed: acknowledged as a duplicate, nothing queued again). Shared by a single install's route (webhook-route.ts) and a
 * multi-tenant install's intake (tenant-webhooks.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ServeSettings } from '../../config/serve.js';
import { CertificateRefused, type CertificateStore } from './certificates.js';
import { readSignatureHeaders, signatureMatches } from './signature.js';
import { actionFor, eventKey, judgeFreshness, parseWebhookEvent } from './webhook-event.js';

export interface DeliveryGuards {
  certificates: CertificateStore;
  replay: { has(key: string): boolean };
  settings: Pick<ServeSettings, 'webhooks'>;
  now: () => Date;
}

export type DeliveryVerdict =
  /** `duplicate`: an event already taken, delivered again; answered 2xx with nothing queued or remembered. */
  | { accepted: true; duplicate: boolean; action: ReturnType<typeof actionFor>; eventName: string; key: string; nowMs: number; verified: true }
  | { accepted: false; status: 400 | 401 | 409; reason: string; message: string; verified: boolean };

export async function judgeDelivery(raw: Buffer, headers: IncomingHttpHeaders, guards: DeliveryGuards): Promise<DeliveryVerdict> {
  const refused = (status: 400 | 401 | 409, reason: string, message: string, verified = false): DeliveryVerdict => ({ accepted: false, status, reason, message, verified });
  const delivery = readSignatureHeaders(headers);
  if ('refused' in delivery) return refused(401, 'signature_missing', delivery.refused);
  let certificate;
  try {
    certificate = await guards.certificates.signingCertificate(delivery.certificateUrl);
  } catch (error) {
    if (error instanceof CertificateRefused) return refused(401, 'certificate_refused', error.message);
    throw error;
  }
  if (!signatureMatches(raw, delivery, certificate)) return refused(401, 'signature_invalid', 'the signature does not match the body under the signing certificate');
  const parsed = parseWebhookEvent(raw);
  if ('refused' in parsed) return refused(400, 'event_invalid', parsed.refused, true);
  const { event } = parsed;
  const key = eventKey(raw);
  const nowMs = guards.now().getTime();
  const freshness = judgeFreshness(event, guards.replay.has(key), nowMs, guards.settings.webhooks.maxEventAgeMinutes * 60_000);
  if (freshness.kind === 'refused') return refused(409, 'replay', freshness.reason, true);
  return { accepted: true, duplicate: freshness.kind === 'retry', action: actionFor(event), eventName: event.EventName, key, nowMs, verified: true };
}
