/**
 * A Dataverse client secret rotated at its source (a `file:` secret rewritten by a vault agent or a mounted
 * Kubernetes secret) while `cosell run` runs. The config file does not change, so the runtime, its adapter
 * and msal's client built with the old secret were kept; once Entra ID refused the old secret, every turn
 * failed with "refused the Dataverse application's credentials" until a restart. Now a refused secret is
 * read again from its source, and a changed one signs in at once.
 */
import assert from 'node:assert/strict';
import { AuthError } from '../../core/errors.js';
import { SandboxClock } from '../../sandbox/common/clock.js';
import { SANDBOX_APPS } from '../../sandbox/entra/index.js';
import { noSleep, startDynamicsHarness, type DynamicsHarness } from '../helpers/dynamics.js';

/** An opportunity ID Dynamics 365 does not hold: a read that needs a token and nothing else. */
const GONE = '00000000-0000-4000-8000-0000000000aa';

describe('Dynamics 365: a client secret rotated while the connector runs', function () {
  this.timeout(60_000);
  const clock = new SandboxClock();
  let h: DynamicsHarness;
  let source: string = SANDBOX_APPS.dataverse.clientSecret;
  let reads = 0;
  const resolveSecret = async () => {
    reads += 1;
    return source;
  };
  before(async () => {
    h = await startDynamicsHarness({ clock, deps: { sleep: noSleep } });
  });
  after(async () => {
    const app = h.entra.directory.app(SANDBOX_APPS.dataverse.clientId)!;
    app.clientSecret = SANDBOX_APPS.dataverse.clientSecret;
    app.secretExpired = false;
    await h?.close();
  });

  it('signs in with the new secret once Entra ID refuses the old one, without a restart', async () => {
    const adapter = h.makeAdapter({}, { resolveSecret });
    assert.deepEqual(await adapter.missingIds([GONE]), [GONE]);
    const app = h.entra.directory.app(SANDBOX_APPS.dataverse.clientId)!;
    // The admin adds a new secret in Entra ID, removes the old one, and the secret's source now holds the new one.
    app.clientSecret = 'sandbox-rotated-dataverse-secret-2027';
    source = 'sandbox-rotated-dataverse-secret-2027';
    // msal's token expires: the next call needs Entra ID.
    clock.advance(2 * 3_600_000);
    assert.deepEqual(await adapter.missingIds([GONE]), [GONE]);
  });

  it('a refused secret that did not change at its source is the sign-in failure it was, read once', async () => {
    const adapter = h.makeAdapter({}, { resolveSecret });
    await adapter.missingIds([GONE]);
    h.entra.directory.app(SANDBOX_APPS.dataverse.clientId)!.clientSecret = 'sandbox-revoked-and-not-replaced';
    clock.advance(2 * 3_600_000);
    const before = reads;
    await assert.rejects(adapter.missingIds([GONE]), (error: unknown) => error instanceof AuthError && /refused the Dataverse application's credentials/.test(error.message));
    assert.equal(reads - before, 1, 'read again once, then refused');
  });

  it('a secret past its end date (AADSTS7000222) is told in Entra\'s words with where the new one goes, and the new one signs in', async () => {
    const app = h.entra.directory.app(SANDBOX_APPS.dataverse.clientId)!;
    app.clientSecret = source;
    const adapter = h.makeAdapter({}, { resolveSecret });
    await adapter.missingIds([GONE]);
    app.secretExpired = true;
    clock.advance(2 * 3_600_000);
    // Until 2026-12-06 the message said "(invalid_client)" alone: an expired secret read as a mistyped one.
    await assert.rejects(adapter.missingIds([GONE]), (error: unknown) => {
      assert.ok(error instanceof AuthError, String(error));
      assert.match(error.message, /AADSTS7000222: The provided client secret keys for app '[^']+' are expired/);
      assert.match(error.message, /create a new one for the app in Entra ID and put it where crm > dynamics > clientSecret points/);
      assert.doesNotMatch(error.message, /Trace ID|Correlation ID|Timestamp/, 'nothing of the one answer');
      return true;
    });
    app.clientSecret = 'sandbox-new-dataverse-secret-after-expiry';
    app.secretExpired = false;
    source = 'sandbox-new-dataverse-secret-after-expiry';
    assert.deepEqual(await adapter.missingIds([GONE]), [GONE]);
  });
});
