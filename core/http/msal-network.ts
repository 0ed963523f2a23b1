/**
 * The network client every msal application of the connector uses. msal-node's own (7.x) calls fetch with
 * the default `redirect: 'follow'`, so a token endpoint answering 307 or 308 had fetch post the same body,
 * client secret or refresh token included, to whatever its Location named, a host and scheme no policy
 * judged (config/endpoint-policy.ts judges only the configured URL). Entra ID answers token requests
 * directly, never with a redirect; here a redirect is a network error (as msal reports one), and nothing is sent on.
 */
import { AuthError, ClientAuthErrorCodes, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';

/** Fails as msal's own client does (the same error codes), so callers classify it as before. */
async function send<T>(url: string, method: 'GET' | 'POST', options: NetworkRequestOptions | undefined, timeoutMs?: number): Promise<NetworkResponse<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: new Headers(Object.entries(options?.headers ?? {})),
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      redirect: 'manual',
      ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
  } catch (error) {
    throw new AuthError(ClientAuthErrorCodes.networkError, `Network request failed: ${error instanceof Error ? error.message : 'unknown'}`);
  }
  if (response.status >= 300 && response.status < 400) {
    throw new AuthError(ClientAuthErrorCodes.networkError, `${new URL(url).origin} answered ${response.status} with a redirect, which is not followed: it would carry the request, and any secret in it, to a host nobody configured`);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  try {
    return { headers, body: (await response.json()) as T, status: response.status };
  } catch (error) {
    throw new AuthError(ClientAuthErrorCodes.tokenParsingError, `Failed to parse response: ${error instanceof Error ? error.message : 'unknown'}`);
  }
}

export function noRedirectNetworkClient(): INetworkModule {
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>(url, 'GET', options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options),
  };
}

/** msal's `system` option with that client, for every `new …ClientApplication`. */
export const MSAL_SYSTEM = { networkClient: noRedirectNetworkClient() };
