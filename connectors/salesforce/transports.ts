/**
 * The two transports a jsforce 3.10.16 connection sends through: the REST one and the OAuth2 one (sign-in
 * and new tokens). jsforce has no per-call options or hooks, so what every request needs (a deadline, the
 * redirect rule, the server's clock) is added by wrapping each transport's `httpRequest`.
 */
import type { JsforceConnection } from './jsforce.js';

export function connectionTransports<T>(conn: JsforceConnection): T[] {
  const parts = conn as unknown as { _transport?: T; oauth2?: { _transport?: T } };
  return [parts._transport, parts.oauth2?._transport].filter((transport): transport is T => transport !== undefined);
}
