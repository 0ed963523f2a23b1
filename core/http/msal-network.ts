/**
 * The network client every msal application of the connector uses. msal-node's own (7.x) calls fetch with
 * the default `redirect: 'follow'`, so a token endpoint answering 307 or 308 had fetch post the same body,
 * client secret or refresh token included, to whatever its Location named, a host and scheme no policy
 * judged (config/endpoint-policy.ts judges only the configured URL). Entra ID answers token requests
 * directly, never with a redirect; here a redirect is a network error (as msal reports one), and nothing is sent on.
 */
import { AuthError, ClientAuthErrorCodes, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { installAddressGuard } from './address-guard.js';

/**
 * msal-common's AuthError is `(errorCode, correlationId, errorMessage, suberror)`: text given second became the
 * correlation id, and the user read msal's generic "See https://aka.ms/msal.js.errors#…" instead of it.
 */
function failure(code: string, message: string, cause?: unknown): AuthError {
  const error = new AuthError(code, '', message);
  // msal rethrows a network module's AuthError as it is: the cause lets a caller tell an address the guard
  // refused (core/http/address-guard.ts addressRefusalIn) from an outage.
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  return error;
}

/**
 * Statuses whose unreadable (non-JSON) answer is an outage, not a refusal: a proxy's or load balancer's
 * HTML 5xx page, a timeout (408) or throttling (429). Reported as network_error, which Dynamics and Partner
 * Center read as unreachable and retryable; any other unreadable answer stays msal's token_parsing_error. Pure.
 */
export function unreadableIsOutage(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Fails as msal's own client does (the same error codes), so callers classify it as before. */
async function send<T>(url: string, method: 'GET' | 'POST', options: NetworkRequestOptions | undefined, timeoutMs?: number): Promise<NetworkResponse<T>> {
  installAddressGuard();
  const origin = new URL(url).origin;
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
    // fetch says only "fetch failed"; what failed (a refused address, a refused connection) is its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw failure(ClientAuthErrorCodes.networkError, `request to ${origin} failed: ${error instanceof Error ? error.message : 'unknown'}${cause}`, error);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw failure(ClientAuthErrorCodes.networkError, `${origin} answered ${response.status} with a redirect, which is not followed: it would carry the request, and any secret in it, to a host nobody configured`);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  try {
    return { headers, body: (await response.json()) as T, status: response.status };
  } catch (error) {
    const kind = headers['content-type']?.split(';')[0] || 'no content type';
    if (unreadableIsOutage(response.status)) {
      throw failure(ClientAuthErrorCodes.networkError, `${origin} answered ${response.status} (${kind}), not a token answer: the service, or a proxy in front of it, is unavailable`);
    }
    throw failure(ClientAuthErrorCodes.tokenParsingError, `${origin} answered ${response.status} (${kind}) that could not be read: ${error instanceof Error ? error.message : 'unknown'}`);
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
