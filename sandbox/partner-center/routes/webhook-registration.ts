/**
 * The webhook registration API of partner-center-api.md §1.14, on the sandbox host:
 * `GET /webhooks/v1/registration/events`, and POST/GET/PUT `/webhooks/v1/registration` with
 * `{"WebhookUrl", "WebhookEvents": [...]}`. A partner has one registration, so one URL per event; POST
 * and PUT both overwrite it (the connectors register with "Overwrite = Yes"). The certificate that signs
 * events is served at `/webhooks/v1/certificate` (the `X-MS-Certificate-Url`).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseJsonBody, sendJson, type Router } from '../../common/http.js';
import { PARTNER_API_AUDIENCE, PARTNER_CENTER_AUDIENCE } from '../auth.js';
import { apiRoute, failureReply, type PipelineDeps, type Reply } from '../pipeline.js';
import { REFERRAL_EVENTS, type ReferralEventName, type WebhookDispatcher } from '../webhooks/dispatcher.js';
import type { SigningIdentity } from '../webhooks/certificate.js';

const BASE = '/webhooks/v1/registration';
const AUDIENCES = [PARTNER_CENTER_AUDIENCE, PARTNER_API_AUDIENCE];

const registrationBody = z.looseObject({
  WebhookUrl: z.url({ protocol: /^https?$/ }),
  WebhookEvents: z.array(z.string()).min(1),
  SignatureTokenToMsSignatureHeader: z.boolean().optional(),
});

const shape = (r: { subscriberId: string; url: string; events: string[]; signatureInMsHeader: boolean }) => ({
  SubscriberId: r.subscriberId,
  WebhookUrl: r.url,
  WebhookEvents: r.events,
  SignatureTokenToMsSignatureHeader: r.signatureInMsHeader,
});

export function mountWebhookRoutes(router: Router, deps: PipelineDeps, dispatcher: WebhookDispatcher, identity: SigningIdentity): void {
  router.on('GET', `${BASE}/events`, apiRoute(`GET ${BASE}/events`, () => ({ status: 200, body: [...REFERRAL_EVENTS] }), deps, AUDIENCES));

  router.on('GET', BASE, apiRoute(`GET ${BASE}`, (_req, caller) => {
    const registration = dispatcher.registrations.get(caller.org);
    if (!registration) return failureReply({ status: 404, code: 'itemNotFound', message: 'No webhook registration exists for this partner.', target: 'registration' });
    return { status: 200, body: shape(registration) };
  }, deps, AUDIENCES));

  const save = (method: 'POST' | 'PUT') =>
    apiRoute(`${method} ${BASE}`, (req, caller): Reply => {
      const parsed = parseJsonBody(req);
      const body = parsed.ok ? registrationBody.safeParse(parsed.value) : undefined;
      if (!body?.success) return failureReply({ status: 400, code: 'invalidRequest', message: 'The body must be {"WebhookUrl": "<http(s) URL>", "WebhookEvents": ["referral-created", …]}.', target: 'registration' });
      const unknown = body.data.WebhookEvents.find((e) => !(REFERRAL_EVENTS as readonly string[]).includes(e));
      if (unknown) return failureReply({ status: 400, code: 'invalidRequest', message: `Unknown event "${unknown}". Supported: ${REFERRAL_EVENTS.join(', ')}.`, target: 'WebhookEvents' });
      const registration = {
        subscriberId: dispatcher.registrations.get(caller.org)?.subscriberId ?? randomUUID(),
        url: body.data.WebhookUrl,
        events: [...new Set(body.data.WebhookEvents)] as ReferralEventName[],
        signatureInMsHeader: body.data.SignatureTokenToMsSignatureHeader ?? false,
      };
      dispatcher.registrations.set(caller.org, registration);
      return { status: 200, body: shape(registration) };
    }, deps, AUDIENCES);
  router.on('POST', BASE, save('POST'));
  router.on('PUT', BASE, save('PUT'));
  // UNVERIFIED: the webhooks page documents no way to delete a registration; the sandbox answers DELETE
  // (204, or 404 without one) so that `cosell webhooks unregister` has something to call.
  router.on('DELETE', BASE, apiRoute(`DELETE ${BASE}`, (_req, caller): Reply => {
    if (!dispatcher.registrations.delete(caller.org)) return failureReply({ status: 404, code: 'itemNotFound', message: 'No webhook registration exists for this partner.', target: 'registration' });
    return { status: 204 };
  }, deps, AUDIENCES));

  // The signing certificate, unauthenticated like a public certificate URL.
  router.on('GET', '/webhooks/v1/certificate', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-pem-file' });
    res.end(identity.certificatePem);
  });
  router.on('GET', '/webhooks/v1/certificate/public-key', (_req, res) => sendJson(res, 200, { pem: identity.publicKeyPem }));
}
