/**
 * What a Salesforce token request sends (JWT bearer or client credentials), and what a refused refresh was.
 * The credential is read from its source at every sign-in, the first and each refresh after a session
 * expires: a `file:` private key replaced when the connected app's certificate is rotated, or a `file:` client
 * secret a vault agent rewrites, is taken without a restart of `cosell run` (the runtime keeps its adapter
 * while the config file is unchanged). An `env:` secret is fixed for the life of the process.
 */
import { refuseSecretInClear } from '../../config/secret-transport.js';
import type { Logger } from '../../core/logger.js';
import type { SalesforceOptions } from './config.js';
import type { JsforceConnection } from './jsforce.js';
import { rsaPrivateKey, signJwtAssertion } from './jwt.js';

export type TokenParams = { grant_type: string; [name: string]: string };

/** jsforce's words for a refresh its delegate could not make (session-refresh-delegate.js). */
const REFRESH_FAILED = 'Unable to refresh session due to: ';

export class SalesforceSignIn {
  /** The client secret jsforce holds (client credentials), to tell a rotated one. */
  private clientSecret: string | undefined;
  /** The failure the latest refresh met, before jsforce rewrapped it. */
  private refreshFailure: Error | undefined;

  constructor(
    private readonly options: SalesforceOptions,
    private readonly resolveSecret: (ref: string) => Promise<string>,
    private readonly log: Logger,
  ) {}

  /**
   * Requests a token. https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
   * jsforce adds the client secret its OAuth2 client holds to every token request, so a changed one replaces it.
   */
  async params(conn: JsforceConnection): Promise<TokenParams> {
    const auth = this.options.auth;
    if (auth.kind === 'jwt') {
      const privateKey = rsaPrivateKey(await this.resolveSecret(auth.privateKey), 'crm > salesforce > auth > privateKey');
      const assertion = signJwtAssertion({ clientId: this.options.clientId, username: auth.username, audience: auth.audience ?? this.options.loginUrl, privateKeyPem: privateKey });
      return { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion };
    }
    const secret = await this.resolveSecret(auth.clientSecret);
    // The secret goes to the login URL's token endpoint: over plain http only if it is a sandbox's (secret-transport.ts).
    refuseSecretInClear('crm > salesforce > auth > clientSecret', { key: 'crm > salesforce > loginUrl', url: this.options.loginUrl }, secret);
    if (this.clientSecret !== undefined && secret !== this.clientSecret) {
      this.log.warn({ event: 'salesforce.secret_changed' }, "the Salesforce client secret's source holds another secret: signing in with it");
    }
    this.clientSecret = secret;
    conn.oauth2.clientSecret = secret;
    return { grant_type: 'client_credentials' };
  }

  /** Notes why a refresh failed, for `cause`. */
  refreshFailed(error: Error): void {
    this.refreshFailure = error;
  }

  /**
   * The failure behind `error`: jsforce rewraps a failed refresh as a plain Error of its message alone, which
   * lost the OAuth code (`invalid_client`, `invalid_grant`) or the network code, so refused credentials read
   * as an unknown failure and an outage at refresh as one not worth retrying.
   */
  cause(error: unknown): unknown {
    const seen = this.refreshFailure;
    return seen && error instanceof Error && error.message === REFRESH_FAILED + seen.message ? seen : error;
  }
}
