/**
 * DNS rebinding: a web page the admin opens can make the browser send requests to the loopback address
 * `cosell serve` listens on, under the page's own host name, and read the answers (the dashboard and
 * `/api/status` need no sign-in from loopback: they show customers, deals and values there). Such a
 * request names the page's host in `Host`, so a service listening on loopback answers only requests
 * addressed to a loopback name or to its own public addresses (`serve > publicUrl`, the dashboard's
 * sign-in redirect URI), which a reverse proxy passing the client's `Host` uses. Webhooks are left out:
 * their signature is their check, and a proxy may pass Partner Center's `Host` as it is.
 */
import type { FastifyInstance } from 'fastify';
import { isBrowserLoopbackName } from '../../config/endpoint-policy.js';

/** The paths the guard leaves alone: `/webhooks/…` and a tenant's `/tenants/{id}/webhooks/…`. */
const WEBHOOK_PATH = /^\/(tenants\/[^/]+\/)?webhooks\//;

/** The host name of a `Host` header (`name`, `name:port`, `[v6]:port`), lower-cased and without a trailing dot. */
function hostNameOf(header: string): string | undefined {
  // Anything beyond host[:port] (a path, a query, user info) is not a Host header a browser sends.
  if (/[/?#@\\]/.test(header) || !URL.canParse(`http://${header}`)) return undefined;
  return new URL(`http://${header}`).hostname.replace(/\.$/, '');
}

/**
 * Whether a request's `Host` may be answered by a service listening on `listenHost`; `publicUrls` are
 * its own public addresses. A service listening elsewhere than loopback is reached under names only its
 * operator knows (a container's address, an ingress), so it answers every name. Pure.
 */
export function isAnsweredHost(header: string | undefined, listenHost: string, publicUrls: readonly (string | undefined)[]): boolean {
  if (!isBrowserLoopbackName(listenHost) || addressedToLoopback(header)) return true;
  const name = hostNameOf(header!);
  return name !== undefined && publicUrls.some((u) => u !== undefined && URL.canParse(u) && new URL(u).hostname.toLowerCase().replace(/\.$/, '') === name);
}

/**
 * Whether a `Host` header names a loopback address (`localhost:8080`, `[::1]`), or is absent: HTTP/1.0
 * clients (health probes, a probe on this machine) may send none; a browser always sends one. Pure.
 */
export function addressedToLoopback(header: string | undefined): boolean {
  if (header === undefined || header === '') return true;
  const name = hostNameOf(header);
  return name !== undefined && isBrowserLoopbackName(name);
}

/** Answers 421 to a request whose `Host` {@link isAnsweredHost} refuses, before any route runs. */
export function guardHostHeader(app: FastifyInstance, listenHost: string, publicUrls: readonly (string | undefined)[]): void {
  app.addHook('onRequest', async (request, reply) => {
    if (WEBHOOK_PATH.test(request.url) || isAnsweredHost(request.headers.host, listenHost, publicUrls)) return;
    return reply.code(421).send({
      error: 'misdirected_request',
      message: `This service listens on loopback and answers only requests addressed to a loopback name (127.0.0.1, localhost, [::1]) or to its public address (serve > publicUrl, dashboard > signIn > redirectUri).`,
    });
  });
}
