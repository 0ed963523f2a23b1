/** A bearer token for the Dataverse sandbox, signed as the connector's application (tests that call the Web API with fetch). */
import { SANDBOX_APPS, type TokenSigner } from '../../sandbox/entra/index.js';

/**
 * Valid for a year and a half: the sandbox checks expiry by its own clock, which these tests move weeks on
 * (delta tokens past their 7 days) without signing again; token expiry itself is tested through the
 * connector, which gets its tokens from the Entra sandbox (test/dynamics/token-expiry.test.ts).
 */
const LIFETIME_SECONDS = 550 * 86_400;

export function applicationToken(signer: TokenSigner, audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signer.sign({ aud: audience, iss: 'test', tid: 't', idtyp: 'app', appid: SANDBOX_APPS.dataverse.clientId, oid: 'o', sub: 's', iat: now, nbf: now, exp: now + LIFETIME_SECONDS });
}
