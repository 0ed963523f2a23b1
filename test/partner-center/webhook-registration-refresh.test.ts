/**
 * The webhook registration client, like the referrals client, takes a 401 for a token the service no
 * longer honours: it refreshes the token once, silently, and asks again. Until 2026-12-05 it gave up at
 * once, so `cosell check` failed "Partner Center webhooks" (exit 5) while the referrals API answered the
 * same sign-in (found after the sandbox clock moved past the access token's lifetime).
 */
import assert from 'node:assert/strict';
import { fixedTokenProvider } from '../../connectors/partner-center/auth/token-provider.js';
import { WebhookRegistrationClient } from '../../connectors/partner-center/webhook-registration.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

describe('webhook registration client: a refused token', () => {
  let service: Recorder | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  const registration = { SubscriberId: 's-1', WebhookUrl: 'https://cosell.example/webhooks/partner-center', WebhookEvents: ['referral-created'] };
  const answer = () => startRecorder((req, res) => {
    const fresh = req.headers.authorization === 'Bearer fresh-token';
    res.writeHead(fresh ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(fresh ? registration : { error: { code: 'unauthenticated', message: 'The access token has expired.' } }));
  });

  it('refreshes the token once and reads the registration', async () => {
    service = await answer();
    const refreshes: boolean[] = [];
    const tokens = fixedTokenProvider(async (forceRefresh) => {
      refreshes.push(forceRefresh);
      return forceRefresh ? 'fresh-token' : 'stale-token';
    });
    const client = new WebhookRegistrationClient(`${service.url}/webhooks/v1/registration`, tokens);
    const read = await client.get();
    assert.equal(read?.webhookUrl, registration.WebhookUrl);
    assert.deepEqual(refreshes, [false, true], 'one silent refresh');
    assert.equal(service.received.length, 2);
  });

  it('still says the sign-in was refused when the refreshed token is refused too, after one retry', async () => {
    service = await answer();
    const client = new WebhookRegistrationClient(`${service.url}/webhooks/v1/registration`, fixedTokenProvider('stale-token'));
    await assert.rejects(client.get(), /HTTP 401/);
    assert.equal(service.received.length, 2, 'one replay, not a loop');
  });
});
