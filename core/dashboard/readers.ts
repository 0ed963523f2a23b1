/**
 * Who reads the dashboard without a session: a request from this machine (its peer on loopback, as
 * `serve > trustProxy` tells it: a listed proxy's X-Forwarded-For names the client) addressed to a loopback
 * name. Anyone else needs an admin's session. The service must be reachable from the internet for Partner
 * Center's webhooks (a reverse proxy forwarding to it, or the container's published port), and the page
 * and `/api/status` show every customer, deal value, conflict (contacts included) and parked message:
 * until 2026-12-06 whoever reached the service read them. A proxy on this machine that passes the
 * client's `Host` (the public name) is told apart by that name; one that sends its own (nginx's default,
 * `Host: $proxy_host`) only when it is listed in `serve > trustProxy`. Pure.
 */
import { isLoopbackHost } from '../../config/endpoint-policy.js';
import { addressedToLoopback } from '../serve/host-guard.js';

/** A socket address on loopback (`127.0.0.1`, `::1`, or IPv4 loopback mapped into IPv6). */
const isLoopbackAddress = (ip: string) => isLoopbackHost(ip.replace(/^::ffff:/i, ''));

/**
 * `peer` is the socket's address, `client` the one fastify's `trustProxy` names (the peer itself unless it
 * is a listed proxy). Both must be loopback: with `trustProxy: true` any peer could name 127.0.0.1.
 */
export function readsFromThisMachine(peer: string | undefined, client: string, host: string | undefined): boolean {
  return peer !== undefined && isLoopbackAddress(peer) && isLoopbackAddress(client) && addressedToLoopback(host);
}
