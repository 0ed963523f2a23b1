/**
 * A request must arrive in full within a bound. fastify turns Node's `requestTimeout` (300 s) off by
 * default, and the socket has no idle timeout either, so until 2026-12-06 a client that sent a request's
 * headers and part of its body and then nothing held the connection open forever (measured: an unsigned
 * `POST /webhooks/partner-center` and a dashboard action, each stalled after 5 bytes of a 1,000-byte body,
 * were still open after 100 s). The webhook URL faces the internet, so anyone could hold connections open
 * by the thousand (slow loris) at no cost. The bound is checked as the server has it: waiting it out in a
 * test would take a minute.
 */
import { serveSchema } from '../../config/serve.js';
import { silentLogger } from '../../core/logger.js';
import { buildServer } from '../../core/serve/server.js';
import { bareServeContext } from '../helpers/bare-serve-context.js';
import { assertStalledRequestsEnd } from '../helpers/stalled-requests.js';

describe('cosell serve: a request that stops arriving', () => {
  it('is ended within a minute (headers and body), not held open forever', async () => {
    const app = await buildServer(bareServeContext(serveSchema.parse({}), silentLogger()));
    try {
      assertStalledRequestsEnd(app.server);
    } finally {
      await app.close();
    }
  });
});
