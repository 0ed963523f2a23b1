/**
 * The network client every msal application of the connector uses. msal-node's own (7.x) calls fetch with
 * the default `redirect: 'follow'`, so a token endpoint answering 307 or 308 had fetch post the same body,
 * client secret or refresh token included, to whatever its Location named, a host and scheme no policy
 * judged (config/endpoint-policy.ts judges only the configured URL). Entra ID answers token requests
 * directly, never with a redirect; here a redirect is an error, and nothing is sent on.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

async function send<T>(url: string, method: 'GET' | 'POST', options: NetworkRequestOptions | undefined, timeoutMs?: number): Promise<NetworkResponse<T>> {
  const response = await fetch(url, {
    method,
    headers: new Headers(Object.entries(options?.headers ?? {})),
    ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
    // A redirect rejects the fetch (TypeError): msal reports a network error naming no secret.
    redirect: 'error',
    ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  return { headers, body: (await response.json()) as T, status: response.status };
}

export function noRedirectNetworkClient(): INetworkModule {
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>(url, 'GET', options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options),
  };
}

/** msal's `system` option with that client, for every `new …ClientApplication`. */
export const MSAL_SYSTEM = { networkClient: noRedirectNetworkClient() };
