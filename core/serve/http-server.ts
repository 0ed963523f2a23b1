/**
 * The fastify instance both services listen with (`cosell serve`, and `cosell serve --database`): no
 * fastify logger (the connector's own, redacting, says what matters), forwarded headers believed only
 * from the proxies `serve > trustProxy` lists, and a bound on how long a request may take to arrive.
 *
 * fastify turns Node's `requestTimeout` off (0) and sets no socket timeout, so a client that sent the
 * headers and part of a body and then nothing held its connection for ever: anyone who reaches the
 * webhook URL, which faces the internet, could hold thousands (slow loris). A webhook delivery is at most
 * 64 KiB and a dashboard form a few bytes; 30 s is ample for either. Node ends a request past the bound
 * with 408 (its check runs every 30 s, so within a minute). Idle keep-alive connections are closed by
 * fastify's `keepAliveTimeout` (72 s).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { fastifyTrustProxy, type TrustProxySetting } from './trust-proxy.js';

/** How long a request (headers and body) may take to arrive. */
export const REQUEST_TIMEOUT_MS = 30_000;

export function serviceFastify(trustProxy: TrustProxySetting): FastifyInstance {
  const app = Fastify({ logger: false, trustProxy: fastifyTrustProxy(trustProxy), requestTimeout: REQUEST_TIMEOUT_MS });
  // Node's headers bound (60 s) must not exceed the request's (it refuses such options at construction).
  app.server.headersTimeout = REQUEST_TIMEOUT_MS;
  return app;
}
