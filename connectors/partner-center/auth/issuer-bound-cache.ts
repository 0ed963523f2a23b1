/**
 * A stored sign-in remembers the token endpoint that issued it, and its refresh token goes back only there.
 * The config names the token endpoint (`authorityMetadata`'s `token_endpoint`, else the authority), and
 * an http one on loopback is allowed for the sandboxes: without this, an edit of that one value sent the
 * months-long refresh token of a real sign-in, in clear, to whatever local user listened on the port named.
 * The origin is kept in the serialized cache beside msal's sections (so inside the encryption, in the file
 * and in a tenant's row alike) and checked each time msal reads the cache, before any request. A cache
 * written before this was kept has no origin: it is taken by an https token endpoint (one the endpoint
 * policy judged: well-known, or allowed custom) and bound at its next write (every refresh), never sent
 * over http, where the refresh token of a real sign-in would travel in clear.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { AuthError } from '../../../core/errors.js';

/** The key beside msal's own sections (Account, RefreshToken…); msal reads only those it knows. */
const ISSUER_KEY = 'CosellTokenEndpoint';

/** Adds the issuing origin to a serialized cache. Pure. */
function withIssuer(serialized: string, origin: string): string {
  return JSON.stringify({ ...(JSON.parse(serialized) as Record<string, unknown>), [ISSUER_KEY]: origin });
}

/** The issuing origin a serialized cache names, if any. Pure. */
function issuerOf(serialized: string): string | undefined {
  const issuer = (JSON.parse(serialized) as Record<string, unknown>)[ISSUER_KEY];
  return typeof issuer === 'string' ? issuer : undefined;
}

/** Why a session issued by `issuer` (undefined: not recorded) must not be refreshed at `origin`; undefined when it may. Pure. */
function refusedDestination(issuer: string | undefined, origin: string): string | undefined {
  if (issuer === undefined) {
    return origin.startsWith('https:') ? undefined : `The Partner Center sign-in stored here does not record which token endpoint issued it (it was stored before 2026-12-06), and the configuration names ${origin}, over http`;
  }
  return issuer === origin ? undefined : `The Partner Center sign-in stored here was issued by ${issuer}, and the configuration now names ${origin} as its token endpoint`;
}

/**
 * `plugin` with every session bound to `origin`: written with it, and refused when read under another.
 * `loginAction` says what to run to sign in at the new endpoint (a single install's or a tenant's login).
 */
export function boundToTokenEndpoint(plugin: ICachePlugin, origin: string, loginAction: string): ICachePlugin {
  const bound = (context: TokenCacheContext): TokenCacheContext =>
    ({
      get cacheHasChanged() {
        return context.cacheHasChanged;
      },
      tokenCache: {
        serialize: () => withIssuer(context.tokenCache.serialize(), origin),
        deserialize: (serialized: string) => {
          const issuer = issuerOf(serialized);
          const refusal = refusedDestination(issuer, origin);
          if (refusal) {
            const back = issuer ? `, or put partnerCenter > authority and authorityMetadata back as they were (token endpoint ${issuer})` : '';
            throw new AuthError(`${refusal}: its refresh token is not sent there`, `${loginAction} to sign in at ${origin}${back}`, { target: origin });
          }
          context.tokenCache.deserialize(serialized);
        },
      },
    }) as unknown as TokenCacheContext;
  return {
    beforeCacheAccess: (context) => plugin.beforeCacheAccess(bound(context)),
    afterCacheAccess: (context) => plugin.afterCacheAccess(bound(context)),
  };
}
