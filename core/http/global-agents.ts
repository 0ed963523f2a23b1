/**
 * Node's global http/https agents, which the API clients send through (axios for Partner Center, Dataverse
 * and webhook registration; jsforce for Salesforce), set up in one place before a client's first request: the
 * address guard on every connection (address-guard.ts) and axios' keep-alive delay on the pooled sockets
 * (socket-keep-alive.ts; jsforce's sockets share the pool). Both are process-wide and idempotent. Code that
 * sends through fetch only (msal, Graph, certificate downloads) installs the address guard alone.
 */
import { installAddressGuard } from './address-guard.js';
import { alignKeepAliveWithAxios } from './socket-keep-alive.js';

export function prepareGlobalAgents(): void {
  installAddressGuard();
  alignKeepAliveWithAxios();
}
