/** A bearer token for the Dataverse sandbox, signed as the connector's application (tests that call the Web API with fetch). */
import { SANDBOX_APPS, type TokenSigner } from '../../sandbox/entra/index.js';

export function applicationToken(signer: TokenSigner, audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signer.sign({ aud: audience, iss: 'test', tid: 't', idtyp: 'app', appid: SANDBOX_APPS.dataverse.clientId, oid: 'o', sub: 's', iat: now, nbf: now, exp: now + 3600 });
}
