/** A bearer token for the Dataverse sandbox, signed as the connector's application (tests that call the Web API with fetch). */
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse/index.js';
import { SANDBOX_APPS, TokenSigner } from '../../sandbox/entra/index.js';

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

/** The seeded Dataverse sandbox a documented-examples suite sends its requests to, with the headers the documentation's requests carry. */
export interface DocumentedExamplesSandbox {
  dv: DataverseSandbox;
  /** `http://127.0.0.1:PORT/api/data/v9.2/` */
  api: string;
  headers: Record<string, string>;
}

/** Starts the sandbox before the suite's tests (mocha `before`) and closes it after them; the fields are set once `before` ran. */
export function useDocumentedExamplesSandbox(): DocumentedExamplesSandbox {
  const signer = new TokenSigner('test-key');
  const state = {} as DocumentedExamplesSandbox;
  before(async () => {
    state.dv = await startDataverseSandbox({ signer, seed: 'default' });
    state.api = `${state.dv.url}/api/data/v9.2/`;
    state.headers = { Authorization: `Bearer ${applicationToken(signer, state.dv.environmentUrl)}`, Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };
  });
  after(async () => state.dv.close());
  return state;
}
