/**
 * A redirect never carries the session elsewhere. jsforce 3.10.16 follows every 3xx by itself
 * (`followRedirect: true` in its transport defaults; request-helper.js `performRedirectRequest`) and sends
 * the next request with the same headers, `Authorization: Bearer <session>` included, to whatever origin
 * the `Location` names, http included: a 302 from the instance (or anything answering for it) took the
 * session to another host. The instance was checked (instance-url.ts) and the login host is the config's,
 * so a redirect within the origin a request went to is followed as jsforce does (a GET with the same
 * headers); one to another origin is refused before anything is sent there. The option is added to each
 * request at the two transports a connection sends through, as call-timeout.ts adds its deadline.
 */
import { CredentialOriginError } from '../../core/http/credential-origin.js';
import type { JsforceConnection } from './jsforce.js';
import { connectionTransports } from './transports.js';

interface RedirectRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
}

type FollowRedirect = (location: string) => RedirectRequest | undefined;

interface RedirectingTransport {
  httpRequest(req: RedirectRequest, options?: { followRedirect?: boolean | FollowRedirect }): PromiseLike<unknown>;
}

/** What jsforce sends for a redirect of `request` to `location`: within its origin only. Pure. */
function sameOriginRedirect(request: RedirectRequest, location: string): RedirectRequest {
  const from = new URL(request.url);
  const target = new URL(location, from);
  if (target.origin !== from.origin) throw new CredentialOriginError('Salesforce', `${target.origin} (a redirect from ${from.origin})`, from.origin);
  return { method: 'GET', url: target.href, ...(request.headers ? { headers: request.headers } : {}) };
}

export function refuseForeignRedirects(conn: JsforceConnection): void {
  for (const transport of connectionTransports<RedirectingTransport>(conn)) {
    const send = transport.httpRequest.bind(transport);
    transport.httpRequest = (req, options = {}) => send(req, { ...options, followRedirect: (location) => sameOriginRedirect(req, location) });
  }
}
