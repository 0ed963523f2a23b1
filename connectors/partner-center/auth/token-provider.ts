/**
 * Bearer tokens for the referrals API. The API accepts App+User (delegated) tokens only
 * (https://learn.microsoft.com/en-us/partner-center/developer/referral-api-authentication), so an
 * unattended timer job cannot use client credentials: a person signs in once with the device-code flow,
 * msal keeps the refresh token in the encrypted cache, and every later run refreshes silently. When the
 * refresh token is revoked or expires, the job stops with an AuthError that says what to run.
 *
 * A scripted mode (password grant through a confidential client) and a fixed token exist for tests and
 * CI; production uses the device-code provider.
 */
import {
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  type ICachePlugin,
} from '@azure/msal-node';
import { entraTokenIssuer } from '../../../config/endpoint-policy.js';
import { AuthError, ConnectorError } from '../../../core/errors.js';
import { entraErrorText } from '../../../core/http/entra-error-text.js';
import { AddressRefusedError, addressRefusalIn } from '../../../core/http/address-guard.js';
import { LOGIN_COMMAND } from '../config.js';
import { boundToTokenEndpoint } from './issuer-bound-cache.js';
import { MSAL_SYSTEM } from '../../../core/http/msal-network.js';

export interface AccessTokenProvider {
  /** A bearer token for the referrals API; `forceRefresh` skips every cache (after a 401). */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
}

/** What the device-code flow asks a person to do: msal's message names the URL and the code. */
export interface DeviceCodePrompt {
  message: string;
  verificationUri: string;
  userCode: string;
  expiresInSeconds: number;
}

export interface MsalAppOptions {
  clientId: string;
  authority: string;
  /** JSON string; see wire-protocols.md §5.2 (a local token endpoint keeps the https authority). */
  authorityMetadata?: string | undefined;
  scopes: string[];
}

/** Tokens are renewed this long before they expire, so a request never leaves with a dying token. */
const EXPIRY_MARGIN_MS = 120_000;

function msalAuth(options: MsalAppOptions): Configuration['auth'] {
  return {
    clientId: options.clientId,
    authority: options.authority,
    ...(options.authorityMetadata ? { authorityMetadata: options.authorityMetadata } : {}),
  };
}

/** Turns an msal failure into one of ours; msal messages carry AADSTS codes and ids, never tokens (the ids and times of one answer are left out: entra-error-text.ts). */
export function tokenFailure(error: unknown, action: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const msal = error as { errorCode?: string; subError?: string; message?: string; name?: string };
  const context = { serviceCode: msal.errorCode ?? msal.name ?? 'unknown', ...(msal.subError ? { subError: msal.subError } : {}) };
  const detail = entraErrorText(msal.message ?? String(error));
  if (error instanceof InteractionRequiredAuthError || msal.errorCode === 'invalid_grant') {
    return new AuthError(`The Partner Center sign-in is no longer valid (${detail})`, action, context);
  }
  // The token endpoint's name led to an address the guard refuses: final, not an outage (core/http/address-guard.ts).
  const refused = addressRefusalIn(error);
  if (refused) return new AddressRefusedError('Partner Center', 'token request', refused, context);
  return new ConnectorError('token_unavailable', `Could not get a Partner Center token: ${detail}`, true, context);
}

/** Memoizes one access token until shortly before it expires, and shares one refresh between callers. */
class TokenMemo {
  private current: { token: string; renewAtMs: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(private readonly now: () => number) {}

  async get(forceRefresh: boolean, fetch: (forceRefresh: boolean) => Promise<AuthenticationResult>): Promise<string> {
    if (!forceRefresh && this.current && this.now() < this.current.renewAtMs) return this.current.token;
    if (this.inFlight) return this.inFlight;
    this.inFlight = fetch(forceRefresh)
      .then((result) => {
        const expiresMs = result.expiresOn ? result.expiresOn.getTime() : this.now() + 300_000;
        this.current = { token: result.accessToken, renewAtMs: expiresMs - EXPIRY_MARGIN_MS };
        return result.accessToken;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  clear(): void {
    this.current = undefined;
  }
}

/** Whose sign-in a provider holds, for the advice its errors give (a single install's, or a tenant's). */
export interface SignInScope {
  /** The command that signs this one in, e.g. `cosell login partner-center --tenant contoso`. */
  loginCommand: string;
  /** Where nobody has signed in yet, e.g. "on this machine" or "for tenant contoso". */
  where: string;
}

const SINGLE_INSTALL_SIGN_IN: SignInScope = { loginCommand: LOGIN_COMMAND, where: 'on this machine' };

/**
 * The cache of a sign-in that replaces the stored session: what is stored is not read until the new session
 * has been written over it, so the new session holds the signed-in account alone, and a session that this
 * key cannot decrypt does not stand in the way of the sign-in that replaces it.
 */
function replacingSession(plugin: ICachePlugin): ICachePlugin {
  let replaced = false;
  return {
    async beforeCacheAccess(context) {
      if (replaced) await plugin.beforeCacheAccess(context);
    },
    async afterCacheAccess(context) {
      await plugin.afterCacheAccess(context);
      if (context.cacheHasChanged) replaced = true;
    },
  };
}

/**
 * Device-code sign-in once, silent refresh afterwards, through a PublicClientApplication whose cache is
 * persisted by `cachePlugin` (the encrypted file, or a tenant's row).
 */
export class DeviceCodeTokenProvider implements AccessTokenProvider {
  private readonly app: PublicClientApplication;
  private readonly memo: TokenMemo;
  private readonly signIn: SignInScope;
  /** The stored session, bound to the token endpoint that issued it (issuer-bound-cache.ts). */
  private readonly cachePlugin: ICachePlugin;

  constructor(private readonly options: MsalAppOptions & { cachePlugin: ICachePlugin; now?: () => number; signIn?: SignInScope }) {
    this.signIn = options.signIn ?? SINGLE_INSTALL_SIGN_IN;
    const tokenEndpoint = new URL(entraTokenIssuer('partnerCenter', options.authority, options.authorityMetadata).url).origin;
    this.cachePlugin = boundToTokenEndpoint(options.cachePlugin, tokenEndpoint, this.loginAction);
    this.app = new PublicClientApplication({ system: MSAL_SYSTEM, auth: msalAuth(options), cache: { cachePlugin: this.cachePlugin } });
    this.memo = new TokenMemo(options.now ?? Date.now);
  }

  /** What to run: a tenant's sign-in is redone with its own command, not a single install's. */
  private get loginAction(): string {
    return `Run \`${this.signIn.loginCommand}\``;
  }

  /**
   * Signs in with the device-code flow (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code):
   * `onPrompt` receives the message with the URL and code to show the person. The stored session is
   * replaced, not added to, so that the timer job has exactly one identity.
   */
  async login(onPrompt: (prompt: DeviceCodePrompt) => void): Promise<{ username: string }> {
    // A sign-in replaces the stored session, and often because it cannot be read any more (the key it was
    // encrypted with was lost or rotated): reading it first failed the sign-in the error message asked for.
    const app = new PublicClientApplication({ system: MSAL_SYSTEM, auth: msalAuth(this.options), cache: { cachePlugin: replacingSession(this.cachePlugin) } });
    let result: AuthenticationResult | null;
    try {
      result = await app.acquireTokenByDeviceCode({
        scopes: this.options.scopes,
        deviceCodeCallback: (response) =>
          onPrompt({ message: response.message, verificationUri: response.verificationUri, userCode: response.userCode, expiresInSeconds: response.expiresIn }),
      });
    } catch (error) {
      throw tokenFailure(error, `Sign-in did not complete; ${this.loginAction} again`);
    }
    if (!result?.account) throw new AuthError('Sign-in returned no account', `${this.loginAction} again`);
    // The session written holds this account alone (the timer job needs exactly one identity): the sign-in
    // started from an empty cache.
    this.memo.clear();
    return { username: result.account.username };
  }

  /** The signed-in account in the cache, if any. */
  async account(): Promise<AccountInfo | undefined> {
    const accounts = await this.app.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  async getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    return this.memo.get(options.forceRefresh === true, async (forceRefresh) => {
      const account = await this.account();
      if (!account) throw new AuthError(`Nobody has signed in to Partner Center ${this.signIn.where} yet`, this.loginAction);
      try {
        return await this.app.acquireTokenSilent({ account, scopes: this.options.scopes, forceRefresh });
      } catch (error) {
        throw tokenFailure(error, this.loginAction);
      }
    });
  }
}

/**
 * Scripted App+User tokens for tests and CI: the password grant (ROPC) through a confidential client,
 * as Microsoft's own referral sample does (partner-center-api.md §1.2). It fails under MFA, which is
 * why production uses {@link DeviceCodeTokenProvider}.
 */
export class PasswordGrantTokenProvider implements AccessTokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly memo: TokenMemo;

  constructor(private readonly options: MsalAppOptions & { clientSecret: string; username: string; password: string; now?: () => number }) {
    this.app = new ConfidentialClientApplication({ system: MSAL_SYSTEM, auth: { ...msalAuth(options), clientSecret: options.clientSecret } });
    this.memo = new TokenMemo(options.now ?? Date.now);
  }

  async getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    return this.memo.get(options.forceRefresh === true, async () => {
      try {
        // Deprecated by msal for interactive apps; kept for scripted test identities only.
        const result = await this.app.acquireTokenByUsernamePassword({ scopes: this.options.scopes, username: this.options.username, password: this.options.password });
        if (!result) throw new AuthError('The password grant returned no token', 'Check the scripted Partner Center credentials');
        return result;
      } catch (error) {
        throw tokenFailure(error, 'Check the scripted Partner Center credentials');
      }
    });
  }
}

/** A token supplied by the caller (a test, or a CI secret); `next` may hand out a fresh one on refresh. */
export function fixedTokenProvider(token: string | ((forceRefresh: boolean) => Promise<string>)): AccessTokenProvider {
  return {
    getAccessToken: async (options = {}) => (typeof token === 'string' ? token : token(options.forceRefresh === true)),
  };
}
